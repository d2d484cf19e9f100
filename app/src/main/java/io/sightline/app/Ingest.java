package io.sightline.app;

import io.sightline.ingest.DirectorySource;
import io.sightline.ingest.IngestReport;
import io.sightline.ingest.KafkaFrameSink;
import io.sightline.schemas.FrameLimits;
import io.sightline.schemas.SightlineSerdes;
import io.sightline.schemas.Topics;
import io.sightline.schemas.avro.DeadLetter;
import io.sightline.schemas.avro.Frame;
import java.io.IOException;
import java.time.Clock;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;

/** Publishes a directory source to Kafka and waits until every record is acknowledged. */
final class Ingest {

    private Ingest() {}

    /** Frames the broker refuses as too large are counted as rejected: they went to the dead-letter topic. */
    static IngestReport publish(DirectorySource source, String bootstrapServers, SightlineSerdes serdes, Topics topics,
            FrameLimits limits) throws IOException {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, limits.maxRecordBytes());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        try (var frames = new KafkaProducer<String, Frame>(p, new StringSerializer(), serdes.serializer(Frame.class));
                var deadLetters = new KafkaProducer<String, DeadLetter>(p, new StringSerializer(),
                        serdes.serializer(DeadLetter.class))) {
            var sink = new KafkaFrameSink(frames, deadLetters, topics.frames(), topics.deadLetters(), limits,
                    Clock.systemUTC());
            IngestReport report = source.publish(sink);
            sink.flush();
            int refused = sink.refusedByBroker();
            return new IngestReport(report.published() - refused, report.rejected() + refused, report.skipped());
        }
    }
}
