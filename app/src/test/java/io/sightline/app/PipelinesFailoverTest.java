package io.sightline.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sightline.cluster.EmbeddedKafkaConfig;
import io.sightline.cluster.LocalCluster;
import io.sightline.schemas.ConfluentAvroDeserializer;
import io.sightline.schemas.SchemaRegistryClient;
import io.sightline.schemas.Topics;
import io.sightline.schemas.avro.DeadLetter;
import io.sightline.schemas.avro.DetectionEvent;
import io.sightline.schemas.avro.Frame;
import io.sightline.schemas.avro.ImageEncoding;
import io.sightline.schemas.avro.UdfOutputRecord;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pipelines end to end on a real broker with `process --pipelines` in its own JVM: camera "hall" runs the stateful
 * crowd-alert (N = 5 faces for K = 3 frames) with its alerts output, camera "door" runs frame-sampler (1 fps) then
 * face-annotate; `process` creates the alerts topic. The processor is killed (SIGKILL) in the middle of a crowd episode; a second one, with a fresh
 * state directory, restores the UDF state from the changelog and carries on: one alert per episode, at the same
 * frames as without the failover; every frame is one event or one dead letter.
 */
class PipelinesFailoverTest {

    private static final String PREFIX = "pipes";
    private static final Topics TOPICS = Topics.withPrefix(PREFIX);
    private static final String PIPELINES = """
            pipelines:
              - name: sampled
                cameras: [door]
                stages:
                  - udf: frame-sampler
                    config: {fps: 1}
                  - face-annotate
              - name: default
                cameras: ["*"]
                stages:
                  - udf: crowd-alert
                    config: {minFaces: 5, frames: 3}
                    outputs: [alerts]
            """;
    private static final Instant T0 = Instant.parse("2026-12-01T02:00:00Z");

    @TempDir
    Path tmp;

    private final List<Process> processes = new ArrayList<>();

    @AfterEach
    void stopProcessors() throws Exception {
        for (Process process : processes) {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void crowdAlertEmitsOneAlertPerEpisodeAcrossAKillMidEpisodeAndTheSamplerDropsAreCounted() throws Exception {
        Path pipelines = Files.writeString(tmp.resolve("pipelines.yaml"), PIPELINES);
        byte[] crowd = Files.readAllBytes(CommandRun.assets().resolve("images/tf-mtcnn-test.jpg"));
        byte[] empty = blankPng();
        // No topic appears by itself here: `process` must create the alerts topic the pipelines declare.
        var noAutoCreate = new EmbeddedKafkaConfig(null, 0, 0, EmbeddedKafkaConfig.DEFAULT_MAX_MESSAGE_BYTES,
                Map.of("auto.create.topics.enable", "false"));
        try (LocalCluster cluster = LocalCluster.start(noAutoCreate, 0, TOPICS, 1)) {
            Process first = startProcessor(cluster, pipelines, "first");
            // Episode 1 starts before the kill: two crowded frames, one short of an alert.
            publish(cluster, List.of(frame("hall", "h1", 1000, crowd), frame("hall", "h2", 2000, crowd),
                    frame("door", "d1", 0, crowd), frame("door", "d2", 300, crowd)));
            awaitOutputs(cluster, 4).close();
            first.destroyForcibly().waitFor(30, TimeUnit.SECONDS);

            publish(cluster, List.of(frame("hall", "h3", 3000, crowd), frame("hall", "h4", 4000, crowd),
                    frame("hall", "h5", 5000, empty), frame("hall", "h6", 6000, crowd),
                    frame("hall", "h7", 7000, crowd), frame("hall", "h8", 8000, crowd),
                    frame("hall", "h9", 9000, empty),
                    frame("door", "d3", 1000, crowd), frame("door", "d4", 1500, crowd),
                    frame("door", "d5", 2100, crowd)));
            startProcessor(cluster, pipelines, "second");
            Outputs outputs = awaitOutputs(cluster, 14);
            outputs.close();

            assertThat(outputs.events).extracting(DetectionEvent::getFrameId).doesNotHaveDuplicates()
                    .containsExactlyInAnyOrder("h1", "h2", "h3", "h4", "h5", "h6", "h7", "h8", "h9", "d1", "d3",
                            "d5");
            assertThat(outputs.events).filteredOn(e -> e.getCameraId().equals("door")).allSatisfy(event -> {
                assertThat(event.getPipeline()).isEqualTo("sampled");
                assertThat(event.getUdf().getName()).isEqualTo("face-annotate");
                assertThat(event.getFaces()).hasSize(6);
            });
            assertThat(outputs.events).filteredOn(e -> e.getCameraId().equals("hall"))
                    .allSatisfy(event -> assertThat(event.getPipeline()).isEqualTo("default"));
            assertThat(outputs.deadLetters).extracting(d -> d.getFrameId() + " " + d.getReasonCode() + " "
                    + d.getUdf().getName()).containsExactly("d2 DROPPED_BY_UDF frame-sampler",
                            "d4 DROPPED_BY_UDF frame-sampler");
            assertThat(outputs.deadLetters).allSatisfy(letter -> assertThat(letter.getValue()).isNull());

            List<UdfOutputRecord> alerts = outputs.alerts(Duration.ofSeconds(3));
            assertThat(alerts).extracting(UdfOutputRecord::getFrameId).as("one alert per episode, at its third "
                    + "crowded frame, the first one counted before the kill").containsExactly("h3", "h8");
            UdfOutputRecord alert = alerts.get(0);
            assertThat(alert.getOutput()).isEqualTo("alerts");
            assertThat(alert.getContentType()).isEqualTo("application/json");
            assertThat(alert.getPipeline()).isEqualTo("default");
            assertThat(alert.getUdf().getName()).isEqualTo("crowd-alert");
            assertThat(alert.getEventId()).isEqualTo(outputs.events.stream()
                    .filter(e -> e.getFrameId().equals("h3")).findFirst().orElseThrow().getEventId());
            JsonNode payload = new ObjectMapper().readTree(alert.getPayload().array());
            assertThat(payload.get("cameraId").asText()).isEqualTo("hall");
            assertThat(payload.get("frameId").asText()).isEqualTo("h3");
            assertThat(payload.get("episodeStart").asLong()).isEqualTo(T0.plusMillis(1000).toEpochMilli());
        }
    }

    /**
     * The same crowd-alert killed while busy, not between two batches: 120 hall frames (episodes of four crowded frames
     * and an empty one) are published at once, and the processor is killed once a few outputs are committed and most
     * frames are still ahead. The second processor restores the state mid-episode: every frame is one event, and the
     * alerts fall on each episode's third crowded frame, each once, as without the kill.
     */
    @Test
    void crowdAlertKilledWhileBusyAlertsOnTheSameFramesExactlyOnce() throws Exception {
        Path pipelines = Files.writeString(tmp.resolve("pipelines.yaml"), PIPELINES);
        byte[] crowd = Files.readAllBytes(CommandRun.assets().resolve("images/tf-mtcnn-test.jpg"));
        byte[] empty = blankPng();
        int count = 120;
        List<Frame> frames = new ArrayList<>();
        List<String> expectedAlerts = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String id = String.format("h%03d", i);
            frames.add(frame("hall", id, 1000L * i, i % 5 == 4 ? empty : crowd));
            if (i % 5 == 2) {
                expectedAlerts.add(id);
            }
        }
        try (LocalCluster cluster = LocalCluster.start(EmbeddedKafkaConfig.defaults(), 0, TOPICS, 1)) {
            Process first = startProcessor(cluster, pipelines, "busy-first");
            publish(cluster, frames);
            int committedAtKill;
            try (Outputs seen = new Outputs(cluster)) {
                long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
                while (seen.events.size() + seen.deadLetters.size() < 5 && System.nanoTime() < deadline) {
                    seen.poll(Duration.ofMillis(50));
                }
                committedAtKill = seen.events.size() + seen.deadLetters.size();
            }
            first.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            startProcessor(cluster, pipelines, "busy-second");
            Outputs outputs = awaitOutputs(cluster, count);
            outputs.close();

            assertThat(committedAtKill).as("outputs committed when the processor was killed").isBetween(5, count / 2);
            assertThat(outputs.events).extracting(DetectionEvent::getFrameId).doesNotHaveDuplicates().hasSize(count);
            assertThat(outputs.alerts(Duration.ofSeconds(3))).extracting(UdfOutputRecord::getFrameId)
                    .as("one alert per episode, at its third crowded frame").containsExactlyElementsOf(expectedAlerts);
        }
    }

    private Process startProcessor(LocalCluster cluster, Path pipelines, String name) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        var command = List.of(java, "-Xmx1g", "-cp", System.getProperty("java.class.path"),
                Sightline.class.getName(), "process", "--exactly-once", "--pipelines", pipelines.toString(),
                "--bootstrap-servers", cluster.bootstrapServers(), "--registry-url", cluster.registryUrl().toString(),
                "--topic-prefix", PREFIX, "--application-id", "pipes-failover",
                "--assets", CommandRun.assets().toString());
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(tmp.resolve(name + ".log").toFile()).start();
        processes.add(process);
        return process;
    }

    private static Frame frame(String camera, String frameId, long millis, byte[] image) {
        boolean png = image[0] == (byte) 0x89;
        return Frame.newBuilder().setCameraId(camera).setFrameId(frameId).setCapturedAt(T0.plusMillis(millis))
                .setEncoding(png ? ImageEncoding.PNG : ImageEncoding.JPEG).setWidth(0).setHeight(0)
                .setPayload(ByteBuffer.wrap(image)).build();
    }

    private static void publish(LocalCluster cluster, List<Frame> frames) throws Exception {
        var serializer = cluster.serdes().serializer(Frame.class);
        try (var producer = new KafkaProducer<>(Map.<String, Object>of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(),
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 4 * 1024 * 1024), new StringSerializer(),
                new ByteArraySerializer())) {
            for (Frame frame : frames) {
                producer.send(new ProducerRecord<>(TOPICS.frames(), frame.getCameraId(),
                        serializer.serialize(TOPICS.frames(), frame))).get();
            }
        }
    }

    private static byte[] blankPng() throws Exception {
        var out = new ByteArrayOutputStream();
        ImageIO.write(new BufferedImage(320, 240, BufferedImage.TYPE_3BYTE_BGR), "png", out);
        return out.toByteArray();
    }

    private static Outputs awaitOutputs(LocalCluster cluster, int count) {
        Outputs outputs = new Outputs(cluster);
        long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
        while (outputs.events.size() + outputs.deadLetters.size() < count && System.nanoTime() < deadline) {
            outputs.poll(Duration.ofMillis(200));
        }
        outputs.poll(Duration.ofSeconds(1));
        assertThat(outputs.events.size() + outputs.deadLetters.size()).as("events + dead letters").isEqualTo(count);
        return outputs;
    }

    /** Committed events, dead letters and alerts, as a read_committed consumer sees them. */
    private static final class Outputs implements AutoCloseable {

        private final LocalCluster cluster;
        private final ConfluentAvroDeserializer<DetectionEvent> eventDecoder;
        private final ConfluentAvroDeserializer<DeadLetter> letterDecoder;
        final List<DetectionEvent> events = new ArrayList<>();
        final List<DeadLetter> deadLetters = new ArrayList<>();
        private final KafkaConsumer<String, byte[]> consumer;

        Outputs(LocalCluster cluster) {
            this.cluster = cluster;
            var client = SchemaRegistryClient.forUrls(cluster.registryUrl().toString());
            eventDecoder = new ConfluentAvroDeserializer<>(client, DetectionEvent.class);
            letterDecoder = new ConfluentAvroDeserializer<>(client, DeadLetter.class);
            consumer = consumer(cluster, List.of(TOPICS.detections(), TOPICS.deadLetters()));
        }

        void poll(Duration timeout) {
            for (ConsumerRecord<String, byte[]> record : consumer.poll(timeout)) {
                if (record.topic().equals(TOPICS.detections())) {
                    events.add(eventDecoder.deserialize(record.topic(), record.value()));
                } else {
                    deadLetters.add(letterDecoder.deserialize(record.topic(), record.value()));
                }
            }
        }

        @Override
        public void close() {
            consumer.close();
        }

        List<UdfOutputRecord> alerts(Duration wait) {
            var decoder = new ConfluentAvroDeserializer<>(
                    SchemaRegistryClient.forUrls(cluster.registryUrl().toString()), UdfOutputRecord.class);
            List<UdfOutputRecord> alerts = new ArrayList<>();
            try (var alertConsumer = consumer(cluster, List.of(TOPICS.output("alerts")))) {
                long deadline = System.nanoTime() + wait.toNanos();
                while (System.nanoTime() < deadline) {
                    for (ConsumerRecord<String, byte[]> record : alertConsumer.poll(Duration.ofMillis(200))) {
                        alerts.add(decoder.deserialize(record.topic(), record.value()));
                    }
                }
            }
            return alerts;
        }

        private static KafkaConsumer<String, byte[]> consumer(LocalCluster cluster, List<String> topics) {
            var consumer = new KafkaConsumer<>(Map.<String, Object>of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(),
                    ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                    ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 16 * 1024 * 1024),
                    new StringDeserializer(), new ByteArrayDeserializer());
            List<TopicPartition> partitions = topics.stream().map(topic -> new TopicPartition(topic, 0)).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            return consumer;
        }
    }
}
