package io.sightline.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.sightline.cluster.EmbeddedKafkaConfig;
import io.sightline.cluster.LocalCluster;
import io.sightline.ingest.KafkaFrameSink;
import io.sightline.model.DetectionOptions;
import io.sightline.model.ModelStoreConfig;
import io.sightline.schemas.FrameLimits;
import io.sightline.schemas.Topics;
import io.sightline.schemas.avro.DeadLetter;
import io.sightline.schemas.avro.DetectionEvent;
import io.sightline.schemas.avro.Frame;
import io.sightline.schemas.avro.ImageEncoding;
import io.sightline.schemas.avro.SourceInfo;
import io.sightline.stream.ProcessorConfig;
import io.sightline.stream.SightlineProcessor;
import io.sightline.stream.SightlineTopology;
import io.sightline.stream.TopologySerdes;
import io.sightline.stream.UdfStack;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;

/**
 * Frames of a stateless pipeline run on every stream thread whatever their camera ids, on a real broker: cameras
 * {@code a} and {@code b} both hash to partition 0 of 2, yet their frames reach both partitions of the spread topic,
 * and each camera's events come back in the order of its frames, a bad frame in the middle holding nothing up.
 */
class FramesSpreadTest {

    private static final int FRAMES_PER_CAMERA = 10;

    @Test
    void twoCamerasOnOnePartitionUseBothPartitionsAndKeepTheirEventsInFrameOrder() throws Exception {
        assertThat(partitionOf("a", 2)).isZero();
        assertThat(partitionOf("b", 2)).as("a and b collide, as ids users pick do").isZero();
        Topics topics = Topics.withPrefix(Topics.DEFAULT_PREFIX);
        byte[] png = Files.readAllBytes(CommandRun.assets().resolve("images/tf-mtcnn-test.jpg"));
        byte[] truncated = Arrays.copyOf(png, png.length / 2);
        try (UdfStack udfs = UdfStack.open(ModelStoreConfig.fromEnvironment(CommandRun.assets()),
                new DetectionOptions(40), FrameLimits.defaults());
                LocalCluster cluster = LocalCluster.start(EmbeddedKafkaConfig.defaults(), 0, topics, 2)) {
            var config = ProcessorConfig.of(cluster.bootstrapServers(), topics, 2, FrameLimits.defaults());
            try (SightlineProcessor processor = SightlineProcessor.start(config,
                    TopologySerdes.from(cluster.serdes()), udfs.runtime());
                    KafkaFrameSink sink = KafkaFrameSink.open(cluster.bootstrapServers(), cluster.serdes(), topics,
                            FrameLimits.defaults(), Integer.MAX_VALUE)) {
                processor.awaitRunning(Duration.ofSeconds(60));
                Instant start = Instant.now();
                for (int i = 0; i < FRAMES_PER_CAMERA; i++) {
                    for (String camera : List.of("a", "b")) {
                        boolean bad = camera.equals("a") && i == 3;
                        sink.frame(frame(camera, i, start.plusMillis(100L * i), bad ? truncated : png));
                    }
                }
                sink.flush();

                List<DetectionEvent> events = await(cluster, topics.detections(), DetectionEvent.class,
                        2 * FRAMES_PER_CAMERA - 1);
                List<DeadLetter> letters = await(cluster, topics.deadLetters(), DeadLetter.class, 1);

                assertThat(letters).singleElement().satisfies(letter -> {
                    assertThat(letter.getFrameId()).isEqualTo("a-03");
                    assertThat(letter.getReasonCode()).isEqualTo("IMAGE_DECODE");
                    assertThat(letter.getTopic()).as("named by its place in the frames topic")
                            .isEqualTo(topics.frames());
                    assertThat(letter.getPartition()).isZero();
                    assertThat(letter.getOffset()).isEqualTo(6);
                });
                Map<String, List<String>> byCamera = events.stream().collect(Collectors.groupingBy(
                        DetectionEvent::getCameraId, Collectors.mapping(DetectionEvent::getFrameId,
                                Collectors.toList())));
                assertThat(byCamera.get("a")).as("in frame order").containsExactly(expected("a", 3));
                assertThat(byCamera.get("b")).as("in frame order").containsExactly(expected("b", -1));
                assertThat(events).allSatisfy(event -> {
                    assertThat(event.getFaces()).hasSize(6);
                    assertThat(event.getLate()).isNull();
                });
                String spread = ProcessorConfig.DEFAULT_APPLICATION_ID + "-" + SightlineTopology.SPREAD
                        + "-repartition";
                assertThat(endOffsets(cluster.bootstrapServers(), spread, 2)).as("frames on each partition")
                        .allSatisfy(end -> assertThat(end).isGreaterThanOrEqualTo(FRAMES_PER_CAMERA / 2));
            }
        }
    }

    private static String[] expected(String camera, int missing) {
        List<String> frames = new ArrayList<>();
        for (int i = 0; i < FRAMES_PER_CAMERA; i++) {
            if (i != missing) {
                frames.add(String.format("%s-%02d", camera, i));
            }
        }
        return frames.toArray(String[]::new);
    }

    private static Frame frame(String camera, int i, Instant capturedAt, byte[] png) {
        return Frame.newBuilder()
                .setCameraId(camera)
                .setFrameId(String.format("%s-%02d", camera, i))
                .setCapturedAt(capturedAt)
                .setEncoding(ImageEncoding.PNG)
                .setWidth(0)
                .setHeight(0)
                .setPayload(ByteBuffer.wrap(png))
                .setSource(SourceInfo.newBuilder().setKind("test").setUri("tf-mtcnn-test.jpg").setSequence(i).build())
                .build();
    }

    private static int partitionOf(String camera, int partitions) {
        return Utils.toPositive(Utils.murmur2(camera.getBytes(StandardCharsets.UTF_8))) % partitions;
    }

    private static <T extends org.apache.avro.specific.SpecificRecord> List<T> await(LocalCluster cluster,
            String topic, Class<T> type, int expected) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        List<T> records = List.of();
        while (System.nanoTime() < deadline) {
            records = TopicFrames.records(cluster.bootstrapServers(), cluster.serdes(), topic, type).stream()
                    .map(ConsumerRecord::value).toList();
            if (records.size() >= expected) {
                Thread.sleep(1_000);
                return TopicFrames.records(cluster.bootstrapServers(), cluster.serdes(), topic, type).stream()
                        .map(ConsumerRecord::value).toList();
            }
            Thread.sleep(250);
        }
        throw new AssertionError("only " + records.size() + " of " + expected + " records on " + topic);
    }

    private static List<Long> endOffsets(String bootstrapServers, String topic, int partitions) throws Exception {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        try (Admin admin = Admin.create(p)) {
            List<Long> ends = new ArrayList<>();
            for (int partition = 0; partition < partitions; partition++) {
                var tp = new TopicPartition(topic, partition);
                ends.add(admin.listOffsets(Map.of(tp, OffsetSpec.latest())).all().get(30, TimeUnit.SECONDS).get(tp)
                        .offset());
            }
            return ends;
        }
    }
}
