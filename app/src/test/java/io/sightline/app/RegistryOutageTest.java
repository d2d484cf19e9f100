package io.sightline.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.sightline.cluster.EmbeddedKafka;
import io.sightline.cluster.EmbeddedKafkaConfig;
import io.sightline.ingest.DirectorySource;
import io.sightline.ingest.DirectorySourceConfig;
import io.sightline.ingest.IngestReport;
import io.sightline.ingest.KafkaIngest;
import io.sightline.model.DetectionOptions;
import io.sightline.model.ModelStoreConfig;
import io.sightline.readers.OutputCollector;
import io.sightline.schemas.EmbeddedSchemaRegistry;
import io.sightline.schemas.FrameLimits;
import io.sightline.schemas.RegistryConfig;
import io.sightline.schemas.SightlineSerdes;
import io.sightline.schemas.Topics;
import io.sightline.stream.ProcessorConfig;
import io.sightline.stream.SightlineProcessor;
import io.sightline.stream.TopologySerdes;
import io.sightline.stream.UdfStack;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The schema registry the processor uses goes away before it has seen a single schema, and frames arrive meanwhile
 * (published through a second registry instance on the same cluster). The processor cannot decode them, which is not
 * the frames' fault: no dead letters, the stream thread is replaced with a pause, and once the registry is back every
 * frame becomes an event.
 */
class RegistryOutageTest {

    @TempDir
    Path input;

    @Test
    void framesWaitOutARegistryOutageInsteadOfBeingDeadLetteredOrStoppingTheClient() throws Exception {
        Path assets = CommandRun.assets();
        Path camera = Files.createDirectories(input.resolve("porch"));
        for (int i = 0; i < 3; i++) {
            Files.copy(assets.resolve("images/tf-mtcnn-test.jpg"), camera.resolve("frame-" + i + ".jpg"));
        }
        Topics topics = Topics.withPrefix("outage");
        try (var kafka = EmbeddedKafka.start(EmbeddedKafkaConfig.defaults());
                var publisherRegistry = EmbeddedSchemaRegistry.start(RegistryConfig.onKafka(kafka.bootstrapServers()));
                UdfStack udfs = UdfStack.open(ModelStoreConfig.fromEnvironment(assets), DetectionOptions.defaults(),
                        FrameLimits.defaults())) {
            Map<String, Integer> partitions = new LinkedHashMap<>();
            topics.all().forEach(topic -> partitions.put(topic, 1));
            kafka.createTopics(partitions);
            int port = freePort();
            RegistryConfig processorRegistryConfig = RegistryConfig.onKafka(kafka.bootstrapServers()).withPort(port);
            var processorRegistry = EmbeddedSchemaRegistry.start(processorRegistryConfig);
            var serdes = SightlineSerdes.forUrls(processorRegistry.url().toString());
            var config = ProcessorConfig.of(kafka.bootstrapServers(), topics, 1, FrameLimits.defaults());
            try (SightlineProcessor processor = SightlineProcessor.start(config, TopologySerdes.from(serdes),
                    udfs.runtime())) {
                processor.awaitRunning(Duration.ofSeconds(60));
                processorRegistry.close();

                var publisherSerdes = SightlineSerdes.forUrls(publisherRegistry.url().toString());
                var source = new DirectorySource(DirectorySourceConfig.of(input, Optional.empty()));
                IngestReport report = KafkaIngest.publish(source, kafka.bootstrapServers(), publisherSerdes, topics,
                        FrameLimits.defaults());
                assertThat(report.published()).isEqualTo(3);
                Thread.sleep(4000); // the processor fails to reach its registry, more than once

                try (var restarted = EmbeddedSchemaRegistry.start(processorRegistryConfig);
                        var collector = new OutputCollector(kafka.bootstrapServers(), topics,
                                OutputCollector.Decoders.from(publisherSerdes), input.resolve("out"),
                                FrameLimits.defaults().maxRecordBytes())) {
                    boolean complete = collector.collect(report.candidates(), Duration.ofSeconds(90));

                    assertThat(complete).as("every frame accounted for").isTrue();
                    assertThat(collector.events()).isEqualTo(3);
                    assertThat(collector.deadLetters()).isEmpty();
                    assertThat(processor.unexpectedStop()).isNotDone();
                    assertThat(processor.state()).isEqualTo(KafkaStreams.State.RUNNING);
                }
            }
        }
    }

    private static int freePort() throws Exception {
        try (var socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
