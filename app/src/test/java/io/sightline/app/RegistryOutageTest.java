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
import io.sightline.stream.RegistryWait;
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
 * the frames' fault: no dead letters. A short outage is waited out on the stream thread, so each frame becomes exactly
 * one event; a longer one fails the task, the thread is replaced after a pause, and once the registry is back every
 * frame becomes an event, some twice (at least once, the frames spread since the last commit are spread again).
 */
class RegistryOutageTest {

    @TempDir
    Path input;

    @Test
    void aShortOutageIsWaitedOutInPlaceAndEveryFrameBecomesExactlyOneEvent() throws Exception {
        Outcome outcome = runOutage(Duration.ofSeconds(3));

        assertThat(outcome.threadsReplaced()).as("stream threads replaced").isZero();
        assertThat(outcome.events()).as("events").isEqualTo(3);
        assertThat(outcome.distinctFrames()).as("frames with an event").isEqualTo(3);
    }

    @Test
    void aLongerOutageReplacesTheThreadAndStillLosesNoFrame() throws Exception {
        Outcome outcome = runOutage(RegistryWait.LIMIT.plusSeconds(6));

        assertThat(outcome.threadsReplaced()).as("stream threads replaced").isPositive();
        assertThat(outcome.distinctFrames()).as("frames with an event").isEqualTo(3);
        assertThat(outcome.events()).as("events: each frame once, or twice when spread again").isBetween(3, 6);
    }

    private record Outcome(int events, long distinctFrames, int threadsReplaced) {}

    /** Publishes 3 frames while the processor's registry is down for {@code outage}, then collects what came out. */
    private Outcome runOutage(Duration outage) throws Exception {
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
                Thread.sleep(outage.toMillis()); // the processor tries to reach its registry, more than once

                try (var restarted = EmbeddedSchemaRegistry.start(processorRegistryConfig);
                        var collector = new OutputCollector(kafka.bootstrapServers(), topics,
                                OutputCollector.Decoders.from(publisherSerdes), input.resolve("out"),
                                FrameLimits.defaults().maxRecordBytes())) {
                    assertThat(restarted.url()).as("back where the processor looks").isEqualTo(processorRegistry.url());
                    boolean complete = collector.collect(report.candidates(), Duration.ofSeconds(90));
                    // Duplicates of the last frames may still be on their way once each frame has one event.
                    collector.collect(Integer.MAX_VALUE, Duration.ofSeconds(3));

                    assertThat(complete).as("every frame accounted for").isTrue();
                    assertThat(collector.deadLetters()).isEmpty();
                    assertThat(processor.unexpectedStop()).isNotDone();
                    assertThat(processor.state()).isEqualTo(KafkaStreams.State.RUNNING);
                    long distinct = collector.seenEvents().stream().map(seen -> seen.event().getFrameId()).distinct()
                            .count();
                    System.out.printf("registry down %d s: %d events for %d frames, %d stream threads replaced%n",
                            outage.toSeconds(), collector.events(), distinct, processor.streamThreadsReplaced());
                    return new Outcome(collector.events(), distinct, processor.streamThreadsReplaced());
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
