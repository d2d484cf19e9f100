package io.sightline.ingest;

import io.sightline.schemas.FrameLimits;
import io.sightline.schemas.SightlineSerdes;
import io.sightline.schemas.Topics;
import java.io.IOException;

/** Publishes a directory source to Kafka and waits until every record is acknowledged. */
public final class KafkaIngest {

    private KafkaIngest() {}

    /** Frames the broker refuses as too large are counted as rejected: they went to the dead-letter topic. */
    public static IngestReport publish(DirectorySource source, String bootstrapServers, SightlineSerdes serdes,
            Topics topics, FrameLimits limits) throws IOException {
        try (var sink = KafkaFrameSink.open(bootstrapServers, serdes, topics, limits, Integer.MAX_VALUE)) {
            IngestReport report = source.publish(sink);
            sink.flush();
            int refused = sink.refusedByBroker();
            return new IngestReport(report.published() - refused, report.rejected() + refused, report.skipped());
        }
    }
}
