package io.sightline.ingest;

import io.sightline.schemas.FrameLimits;
import io.sightline.schemas.SightlineSerdes;
import io.sightline.schemas.Topics;
import java.io.IOException;

/** Publishes a folder or a video file to Kafka and waits until every record is acknowledged. */
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

    /** Frames of a video file; a file rejected as a whole (cannot be opened, breaks off) counts as one rejection. */
    public static IngestReport publish(VideoSource source, String bootstrapServers, SightlineSerdes serdes,
            Topics topics, FrameLimits limits) throws IOException {
        try (var sink = KafkaFrameSink.open(bootstrapServers, serdes, topics, limits, Integer.MAX_VALUE)) {
            VideoReport report = source.publish(sink);
            sink.flush();
            int refused = sink.refusedByBroker();
            return new IngestReport((int) report.published() - refused, (int) report.rejected() + refused, 0);
        }
    }
}
