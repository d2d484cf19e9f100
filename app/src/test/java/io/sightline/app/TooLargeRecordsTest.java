package io.sightline.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sightline.cluster.EmbeddedKafkaConfig;
import io.sightline.cluster.LocalCluster;
import io.sightline.ingest.DirectorySource;
import io.sightline.ingest.DirectorySourceConfig;
import io.sightline.ingest.KafkaIngest;
import io.sightline.model.DetectionOptions;
import io.sightline.model.ModelStoreConfig;
import io.sightline.readers.OutputCollector;
import io.sightline.schemas.DeadLetters;
import io.sightline.schemas.FrameLimits;
import io.sightline.schemas.Topics;
import io.sightline.schemas.avro.DeadLetter;
import io.sightline.schemas.avro.DetectionEvent;
import io.sightline.stream.ProcessorConfig;
import io.sightline.stream.SightlineProcessor;
import io.sightline.stream.TopologySerdes;
import io.sightline.stream.UdfStack;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Random;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No record stops a stream, at every stage, on the real in-process broker with a 1 MiB record limit (so the test
 * data stays small): ingest dead-letters a file too large for a record, the processor shrinks an annotated image
 * that does not fit, dead-letters a frame whose dead letter cannot carry its bytes, and a record the producer refuses
 * becomes a dead letter through the production exception handler; each time the next frame is processed.
 */
class TooLargeRecordsTest {

    private static final int ONE_MIB = 1024 * 1024;

    @TempDir
    Path tmp;

    @Test
    void everyStageHandlesATooLargeRecordAndProcessesTheNextFrame() throws Exception {
        Path assets = CommandRun.assets();
        Path input = Files.createDirectory(tmp.resolve("in"));
        Files.copy(assets.resolve("images/solvay-1927.jpg"), input.resolve("a-solvay.jpg"));
        byte[] noisePng = noisePng(700, 700);
        Files.write(input.resolve("b-noise.png"), noisePng);
        int maxPayload = FrameLimits.withMaxRecordBytes(ONE_MIB).maxPayloadBytes();
        Files.write(input.resolve("c-truncated.png"), Arrays.copyOf(noisePng, maxPayload));
        Files.copy(assets.resolve("images/tf-mtcnn-test.jpg"), input.resolve("d-group.jpg"));
        Path out = tmp.resolve("out");

        CommandRun run = CommandRun.of("demo", "--input", input.toString(), "--out", out.toString(),
                "--assets", assets.toString(), "--max-message-bytes", Integer.toString(ONE_MIB), "--json",
                "--timeout", "120", "--snapshot-format", "png");

        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode summary = DetectCommandTest.parseLines(run.out()).get(0);
        assertThat(summary.get("framesIn").asInt()).isEqualTo(4);
        assertThat(summary.get("events").asInt()).isEqualTo(2);
        assertThat(summary.get("deadLetters").asInt()).isEqualTo(2);
        assertThat(summary.at("/deadLettersByReason/TOO_LARGE").asInt()).isEqualTo(1);
        assertThat(summary.at("/deadLettersByReason/IMAGE_DECODE").asInt()).isEqualTo(1);

        List<JsonNode> events = DetectCommandTest.parseLines(Files.readString(out.resolve("events.jsonl")));
        assertThat(events).extracting(e -> e.get("frameId").asText() + "=" + e.get("annotated").asText())
                .containsExactlyInAnyOrder("a-solvay=REDUCED", "d-group=FULL");
        // The annotated Solvay PNG (1.1 MB) does not fit in 1 MiB: it arrives as a JPEG of the same size.
        Path shrunk = out.resolve("annotated/default/a-solvay.jpg");
        assertThat(Files.size(shrunk)).isLessThanOrEqualTo(maxPayload);
        BufferedImage annotated = ImageIO.read(shrunk.toFile());
        assertThat(annotated.getWidth()).isEqualTo(960);
        assertThat(out.resolve("annotated/default/d-group.png")).exists();

        List<JsonNode> letters = DetectCommandTest.parseLines(Files.readString(out.resolve("dead-letters.jsonl")));
        JsonNode atIngest = letters.stream().filter(l -> l.get("stage").asText().equals("ingest")).findFirst()
                .orElseThrow();
        assertThat(atIngest.get("frameId").asText()).isEqualTo("b-noise");
        assertThat(atIngest.get("value").isNull()).isTrue();
        assertThat(atIngest.get("valueSize").asLong()).isEqualTo(noisePng.length);
        assertThat(atIngest.get("valueSha256").asText()).isEqualTo(DeadLetters.sha256Hex(noisePng));
        JsonNode inProcessor = letters.stream().filter(l -> l.get("stage").asText().equals("decode")).findFirst()
                .orElseThrow();
        assertThat(inProcessor.get("frameId").asText()).isEqualTo("c-truncated");
        assertThat(inProcessor.get("value").isNull()).isTrue();
        assertThat(inProcessor.get("valueSize").asLong()).isGreaterThan(maxPayload);
    }

    @Test
    void anAnnotatedImageTheProducerRefusesBecomesADeadLetterAndTheProcessorKeepsRunning() throws Exception {
        Path assets = CommandRun.assets();
        Path input = solvayThenGroup(assets);
        Topics topics = Topics.withPrefix("refused");
        var brokerLimit = new EmbeddedKafkaConfig(null, 0, 0, ONE_MIB, Map.of());
        try (LocalCluster cluster = LocalCluster.start(brokerLimit, 0, topics, 1);
                // The UDF host believes 16 MiB fit, so the annotated Solvay PNG (1.1 MB) is emitted as is: only the
                // exception handler stands between it and a stopped stream.
                UdfStack udfs = UdfStack.open(ModelStoreConfig.fromEnvironment(assets), DetectionOptions.defaults(),
                        FrameLimits.defaults())) {
            FrameLimits limits = FrameLimits.defaults().fromCluster(cluster.bootstrapServers(), topics.all());
            assertThat(limits.maxRecordBytes()).isEqualTo(ONE_MIB);
            var serdes = cluster.serdes();
            var config = ProcessorConfig.of(cluster.bootstrapServers(), topics, 1, limits);
            try (SightlineProcessor processor = SightlineProcessor.start(config, TopologySerdes.from(serdes), udfs.runtime())) {
                processor.awaitRunning(Duration.ofSeconds(60));
                var source = new DirectorySource(new DirectorySourceConfig(input, Optional.empty(), limits));
                KafkaIngest.publish(source, cluster.bootstrapServers(), serdes, topics, limits);

                var decoders = OutputCollector.Decoders.from(serdes);
                List<DetectionEvent> events = new ArrayList<>();
                List<DeadLetter> letters = new ArrayList<>();
                try (var consumer = consumer(cluster.bootstrapServers(), topics)) {
                    Instant deadline = Instant.now().plusSeconds(90);
                    while ((events.size() < 2 || letters.isEmpty()) && Instant.now().isBefore(deadline)) {
                        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                            if (r.topic().equals(topics.detections())) {
                                events.add(decoders.events().deserialize(r.topic(), r.value()));
                            } else {
                                letters.add(decoders.deadLetters().deserialize(r.topic(), r.value()));
                            }
                        }
                    }
                }

                assertThat(events).extracting(e -> e.getFrameId() + "=" + e.getFaces().size())
                        .containsExactlyInAnyOrder("a-solvay=29", "b-group=6");
                assertThat(letters).singleElement().satisfies(letter -> {
                    assertThat(letter.getReasonCode()).isEqualTo("TOO_LARGE");
                    assertThat(letter.getStage()).isEqualTo("produce");
                    assertThat(letter.getMessage()).contains(topics.annotated());
                    assertThat(letter.getTopic()).isEqualTo(topics.frames());
                });
                assertThat(processor.state()).isEqualTo(KafkaStreams.State.RUNNING);
            }
        }
    }

    @Test
    void aRecordTheBrokerRefusesAfterTheLimitWasLoweredDoesNotStopTheProcessor() throws Exception {
        Path assets = CommandRun.assets();
        Path input = solvayThenGroup(assets);
        Topics topics = Topics.withPrefix("lowered");
        var brokerLimit = new EmbeddedKafkaConfig(null, 0, 0, ONE_MIB, Map.of());
        // The processor read 16 MiB at start; the topics now take 1 MiB. The producer accepts the annotated Solvay
        // PNG (1.1 MB) and the broker refuses it.
        FrameLimits atStart = FrameLimits.defaults();
        try (LocalCluster cluster = LocalCluster.start(brokerLimit, 0, topics, 1);
                UdfStack udfs = UdfStack.open(ModelStoreConfig.fromEnvironment(assets), DetectionOptions.defaults(),
                        atStart)) {
            var serdes = cluster.serdes();
            var config = ProcessorConfig.of(cluster.bootstrapServers(), topics, 1, atStart);
            try (SightlineProcessor processor = SightlineProcessor.start(config, TopologySerdes.from(serdes),
                    udfs.runtime())) {
                processor.awaitRunning(Duration.ofSeconds(60));
                FrameLimits now = FrameLimits.defaults().fromCluster(cluster.bootstrapServers(), topics.all());
                var source = new DirectorySource(new DirectorySourceConfig(input, Optional.empty(), now));
                KafkaIngest.publish(source, cluster.bootstrapServers(), serdes, topics, now);

                List<DetectionEvent> events = new ArrayList<>();
                var decoders = OutputCollector.Decoders.from(serdes);
                try (var consumer = consumer(cluster.bootstrapServers(), topics)) {
                    Instant deadline = Instant.now().plusSeconds(90);
                    while (events.size() < 2 && Instant.now().isBefore(deadline)) {
                        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                            if (r.topic().equals(topics.detections())) {
                                events.add(decoders.events().deserialize(r.topic(), r.value()));
                            }
                        }
                    }
                }

                assertThat(events).extracting(e -> e.getFrameId() + "=" + e.getFaces().size())
                        .containsExactlyInAnyOrder("a-solvay=29", "b-group=6");
                assertThat(processor.state()).isEqualTo(KafkaStreams.State.RUNNING);
            }
        }
    }

    private static KafkaConsumer<byte[], byte[]> consumer(String bootstrapServers, Topics topics) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "too-large-test");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 2 * ONE_MIB);
        var consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(topics.detections(), topics.deadLetters()));
        return consumer;
    }

    private static byte[] noisePng(int width, int height) throws Exception {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Random random = new Random(11);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, random.nextInt(0x1000000));
            }
        }
        var out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

    /** A folder with the Solvay photo (its annotated PNG is 1.1 MB) and then the group photo. */
    private Path solvayThenGroup(Path assets) throws IOException {
        Path input = Files.createDirectory(tmp.resolve("in"));
        Files.copy(assets.resolve("images/solvay-1927.jpg"), input.resolve("a-solvay.jpg"));
        Files.copy(assets.resolve("images/tf-mtcnn-test.jpg"), input.resolve("b-group.jpg"));
        return input;
    }
}
