package io.sightline.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sightline.cluster.EmbeddedKafkaConfig;
import io.sightline.cluster.LocalCluster;
import io.sightline.model.ModelCatalog;
import io.sightline.model.ModelManifest;
import io.sightline.schemas.FrameLimits;
import io.sightline.schemas.Topics;
import io.sightline.schemas.avro.DetectionEvent;
import io.sightline.schemas.avro.Frame;
import io.sightline.schemas.avro.ImageEncoding;
import io.sightline.stream.ModelActivation;
import io.sightline.stream.ModelActivationTopic;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * `replay range` on the real broker: only the frames of the range (and camera) are reprocessed, into the replay's
 * own topics; the live topics see nothing; the same range twice gives the same events but for processedAt.
 */
class ReplayRangeCommandTest {

    private static final Instant T0 = Instant.parse("2026-11-30T08:00:00Z");

    @Test
    void reprocessesExactlyTheRangeIntoItsOwnTopicsAndRepeatsItself() throws Exception {
        Topics topics = Topics.withPrefix(Topics.DEFAULT_PREFIX);
        var kafkaConfig = new EmbeddedKafkaConfig(null, 0, 0, FrameLimits.DEFAULT_MAX_RECORD_BYTES, Map.of());
        try (LocalCluster cluster = LocalCluster.start(kafkaConfig, 0, topics, 2)) {
            // Despite its name the file is a PNG.
            byte[] png = Files.readAllBytes(CommandRun.assets().resolve("images/tf-mtcnn-test.jpg"));
            publish(cluster, topics, png);
            String[] kafka = {"--bootstrap-servers", cluster.bootstrapServers(), "--registry-url",
                    cluster.registryUrl().toString(), "--assets", CommandRun.assets().toString()};

            CommandRun first = replay(kafka, "first", "2026-11-30T08:00:02Z", "2026-11-30T08:00:04Z");
            CommandRun second = replay(kafka, "second", "2026-11-30T08:00:02Z", "2026-11-30T08:00:04Z");
            CommandRun oneCamera = replay(kafka, "door", "2026-11-30T08:00:00Z", "2026-11-30T08:00:01Z",
                    "--camera", "door");

            assertThat(first.exitCode()).as(first.err()).isZero();
            JsonNode summary = new ObjectMapper().readTree(first.out());
            assertThat(summary.get("replayed").asInt()).isEqualTo(6);
            assertThat(summary.get("detectionsTopic").asText()).isEqualTo("sightline.detections.replay.first");
            assertThat(first.err()).contains("record(s) in range").contains("replay:");

            List<DetectionEvent> firstEvents = events(cluster, "sightline.detections.replay.first", 6);
            assertThat(firstEvents).extracting(e -> e.getCameraId() + "@" + e.getCapturedAt().getEpochSecond() % 60)
                    .containsExactlyInAnyOrder("door@2", "door@3", "door@4", "yard@2", "yard@3", "yard@4");
            assertThat(firstEvents).allSatisfy(e -> assertThat(e.getFaces()).hasSize(6));

            assertThat(second.exitCode()).as(second.err()).isZero();
            List<DetectionEvent> secondEvents = events(cluster, "sightline.detections.replay.second", 6);
            assertThat(masked(secondEvents)).isEqualTo(masked(firstEvents));
            // Each camera's faces keep their track ids through the range, and a replay of it gives the same ids.
            java.util.function.Function<List<DetectionEvent>, Map<String, List<Long>>> trackIds = events -> {
                Map<String, List<Long>> ids = new java.util.TreeMap<>();
                events.forEach(e -> ids.put(e.getCameraId() + "@" + e.getCapturedAt().getEpochSecond() % 60,
                        e.getFaces().stream().map(f -> f.getTrackId()).sorted().toList()));
                return ids;
            };
            Map<String, List<Long>> firstIds = trackIds.apply(firstEvents);
            assertThat(firstIds.values()).allSatisfy(ids -> assertThat(ids).hasSize(6).doesNotContainNull());
            assertThat(firstIds.get("door@3")).isEqualTo(firstIds.get("door@2")).isEqualTo(firstIds.get("door@4"));
            assertThat(trackIds.apply(secondEvents)).isEqualTo(firstIds);

            assertThat(oneCamera.exitCode()).as(oneCamera.err()).isZero();
            assertThat(events(cluster, "sightline.detections.replay.door", 2))
                    .extracting(e -> e.getCameraId() + "@" + e.getCapturedAt().getEpochSecond() % 60)
                    .containsExactlyInAnyOrder("door@0", "door@1");
            // Frames are found by capture time, which only the frame carries: all 10 written are read, 2 replayed.
            assertThat(new ObjectMapper().readTree(oneCamera.out()).get("skipped").asInt()).isEqualTo(8);

            // The model version activated in the models topic is the one a replay runs, like a processor would.
            ModelManifest pinned = ModelCatalog.bundled().get("mtcnn");
            ModelManifest strict = ModelCatalog.bundled().get("mtcnn@tf-mtcnn-b7ffa19-strict");
            assertThat(summary.get("model").asText()).isEqualTo(pinned.label());
            assertThat(firstEvents).allSatisfy(e -> assertThat(e.getModel().getVersion()).isEqualTo(pinned.version()));
            new ModelActivationTopic(cluster.bootstrapServers(), topics.models()).activate(
                    new ModelActivation("face-detector", strict.label(), strict.sha256(), Instant.now()));
            CommandRun activated = replay(kafka, "strict", "2026-11-30T08:00:02Z", "2026-11-30T08:00:04Z");
            assertThat(activated.exitCode()).as(activated.err()).isZero();
            assertThat(new ObjectMapper().readTree(activated.out()).get("model").asText()).isEqualTo(strict.label());
            assertThat(events(cluster, "sightline.detections.replay.strict", 6)).allSatisfy(e -> {
                assertThat(e.getModel().getVersion()).isEqualTo(strict.version());
                assertThat(e.getFaces()).isNotEmpty();
            });

            // Live consumers saw nothing of it.
            assertThat(events(cluster, topics.detections(), 0)).isEmpty();
        }
    }

    @Test
    void aRangeThatEndsBeforeItStartsIsRefused() {
        CommandRun run = CommandRun.of("replay", "range", "--bootstrap-servers", "127.0.0.1:9", "--registry-url",
                "http://127.0.0.1:9", "--id", "x", "--from", "2026-11-30T08:00:00Z", "--to", "yesterday");

        assertThat(run.exitCode()).isNotZero();
        assertThat(run.err()).contains("--to must be an ISO-8601 instant");
    }

    private static CommandRun replay(String[] kafka, String id, String from, String to, String... more) {
        List<String> args = new ArrayList<>(List.of("replay", "range", "--id", id, "--from", from, "--to", to,
                "--json", "--timeout", "120"));
        args.addAll(List.of(kafka));
        args.addAll(List.of(more));
        return CommandRun.of(args.toArray(String[]::new));
    }

    /** Two cameras, one frame a second for 5 s each, captured at T0 + i s. */
    private static void publish(LocalCluster cluster, Topics topics, byte[] png) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
        try (var producer = new KafkaProducer<>(p, new StringSerializer(),
                cluster.serdes().serializer(Frame.class))) {
            for (int i = 0; i < 5; i++) {
                for (String camera : List.of("door", "yard")) {
                    Instant at = T0.plusSeconds(i);
                    Frame frame = Frame.newBuilder().setCameraId(camera).setFrameId(camera + "-" + i)
                            .setCapturedAt(at).setEncoding(ImageEncoding.PNG).setWidth(0).setHeight(0)
                            .setPayload(ByteBuffer.wrap(png)).build();
                    producer.send(new ProducerRecord<>(topics.frames(), null, at.toEpochMilli(), camera, frame));
                }
            }
            producer.flush();
        }
    }

    /** Reads {@code expected} events from the start of a topic, then a little longer to catch any extra. */
    private static List<DetectionEvent> events(LocalCluster cluster, String topic, int expected) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
        var decoder = cluster.serdes().deserializer(DetectionEvent.class);
        List<DetectionEvent> events = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            var partitions = consumer.partitionsFor(topic).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Instant deadline = Instant.now().plusSeconds(30);
            while (events.size() < expected && Instant.now().isBefore(deadline)) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> events.add(decoder.deserialize(topic, r.value())));
            }
            // A little longer, so an extra event would be seen too.
            consumer.poll(Duration.ofSeconds(1)).forEach(r -> events.add(decoder.deserialize(topic, r.value())));
        }
        return events;
    }

    /** The events with processedAt masked, in a fixed order. */
    private static List<String> masked(List<DetectionEvent> events) {
        return events.stream()
                .map(e -> DetectionEvent.newBuilder(e).setProcessedAt(Instant.EPOCH).build().toString())
                .sorted(Comparator.naturalOrder())
                .toList();
    }
}
