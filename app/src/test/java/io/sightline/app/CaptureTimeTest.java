package io.sightline.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sightline.cluster.EmbeddedKafkaConfig;
import io.sightline.cluster.LocalCluster;
import io.sightline.model.DetectionOptions;
import io.sightline.model.ModelStoreConfig;
import io.sightline.schemas.FrameLimits;
import io.sightline.schemas.Topics;
import io.sightline.schemas.avro.DetectionEvent;
import io.sightline.schemas.avro.Frame;
import io.sightline.stream.ProcessorConfig;
import io.sightline.stream.SightlineProcessor;
import io.sightline.stream.TopologySerdes;
import io.sightline.stream.UdfStack;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A frame is kept, processed and replayed whatever time its camera claims: an archive captured a year ago survives
 * segment rolls and the broker's retention checks, and a camera three hours ahead is neither refused by the broker nor
 * the end of a run. Events say how far off the capture time was ({@code clockSkew}).
 */
class CaptureTimeTest {

    private static final int ARCHIVE_FRAMES = 24;
    private static final long YEAR_SECONDS = 365L * 86_400;

    @TempDir
    Path tmp;

    @Test
    void archiveCapturedAYearAgoKeepsEveryFrameAcrossSegmentRollsAndRetentionAndReplaysToTheSameEvents()
            throws Exception {
        Instant yearAgo = Instant.now().minus(365, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        Path archive = framesCapturedAt(tmp.resolve("archive"), ARCHIVE_FRAMES, yearAgo);
        Path dataDir = tmp.resolve("kafka");
        Topics topics = Topics.withPrefix(Topics.DEFAULT_PREFIX);
        // The broker looks for expired segments every half second instead of every five minutes.
        var kafkaConfig = new EmbeddedKafkaConfig(dataDir, 0, 0, FrameLimits.DEFAULT_MAX_RECORD_BYTES,
                Map.of("log.retention.check.interval.ms", "500"));
        try (UdfStack udfs = UdfStack.open(ModelStoreConfig.fromEnvironment(CommandRun.assets()),
                DetectionOptions.defaults(), FrameLimits.defaults());
                LocalCluster cluster = LocalCluster.start(kafkaConfig, 0, topics, 1)) {
            rollSegmentsEverySecond(cluster.bootstrapServers(), topics.frames(), topics.detections());
            var config = ProcessorConfig.of(cluster.bootstrapServers(), topics, 1, FrameLimits.defaults());
            String[] kafka = {"--bootstrap-servers", cluster.bootstrapServers(), "--registry-url",
                    cluster.registryUrl().toString()};
            List<DetectionEvent> live;
            try (SightlineProcessor processor = SightlineProcessor.start(config,
                    TopologySerdes.from(cluster.serdes()), udfs.runtime())) {
                processor.awaitRunning(Duration.ofSeconds(60));
                CommandRun ingest = CommandRun.of(concat(new String[] {"ingest", "dir", archive.toString(),
                        "--camera", "lobby", "--fps", "6", "--json"}, kafka));
                assertThat(ingest.exitCode()).as(ingest.err()).isZero();
                assertThat(new ObjectMapper().readTree(ingest.out()).get("published").asInt())
                        .isEqualTo(ARCHIVE_FRAMES);
                live = awaitEvents(cluster, topics.detections(), ARCHIVE_FRAMES);
            }
            // Long enough for several retention checks over the closed segments.
            Thread.sleep(3_000);

            assertThat(segments(dataDir, topics.frames())).as("frame segments").isGreaterThanOrEqualTo(3);
            assertThat(segments(dataDir, topics.detections())).as("event segments").isGreaterThanOrEqualTo(3);
            List<ConsumerRecord<String, Frame>> frames = TopicFrames.records(cluster.bootstrapServers(),
                    cluster.serdes(), topics.frames(), Frame.class);
            assertThat(frames).as("every archived frame is still in the frames topic").hasSize(ARCHIVE_FRAMES);
            assertThat(frames).allSatisfy(record -> assertThat(record.timestamp())
                    .as("stamped when written").isGreaterThan(Instant.now().minusSeconds(600).toEpochMilli()));
            assertThat(TopicFrames.records(cluster.bootstrapServers(), cluster.serdes(), topics.detections(),
                    DetectionEvent.class)).as("every event is still in the detections topic").hasSize(ARCHIVE_FRAMES);
            assertThat(live).extracting(DetectionEvent::getFrameId).doesNotHaveDuplicates();
            assertThat(live).allSatisfy(event -> {
                assertThat(event.getFaces()).hasSize(6);
                assertThat(event.getClockSkew()).as("a year behind").isBetween(-YEAR_SECONDS - 600, -YEAR_SECONDS + 600);
            });

            CommandRun replay = CommandRun.of(concat(new String[] {"replay", "range", "--id", "archive",
                    "--from", yearAgo.minusSeconds(60).toString(), "--to", yearAgo.plusSeconds(3600).toString(),
                    "--json", "--timeout", "180", "--assets", CommandRun.assets().toString()}, kafka));

            assertThat(replay.exitCode()).as(replay.err()).isZero();
            assertThat(new ObjectMapper().readTree(replay.out()).get("replayed").asInt()).isEqualTo(ARCHIVE_FRAMES);
            List<DetectionEvent> replayed = awaitEvents(cluster, topics.forReplay("archive").detections(),
                    ARCHIVE_FRAMES);
            assertThat(summaries(replayed)).containsExactlyInAnyOrderElementsOf(summaries(live));
        }
    }

    @Test
    void demoOnACameraThreeHoursAheadProcessesEveryFrameAndFlagsItsEvents() throws Exception {
        Path input = Files.createDirectory(tmp.resolve("ahead"));
        Instant ahead = Instant.now().plus(Duration.ofHours(3));
        for (String name : List.of("solvay-1927.jpg", "tf-mtcnn-test.jpg")) {
            Path copy = Files.copy(CommandRun.assets().resolve("images/" + name), input.resolve(name));
            Files.setLastModifiedTime(copy, FileTime.from(ahead));
        }
        Path out = tmp.resolve("out");

        CommandRun run = CommandRun.of("demo", "--input", input.toString(), "--out", out.toString(),
                "--assets", CommandRun.assets().toString(), "--json", "--timeout", "120");

        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode summary = DetectCommandTest.parseLines(run.out()).get(0);
        assertThat(summary.get("framesIn").asInt()).isEqualTo(2);
        assertThat(summary.get("events").asInt()).isEqualTo(2);
        assertThat(summary.get("faces").asInt()).isEqualTo(35);
        assertThat(summary.get("deadLetters").asInt()).isZero();
        List<JsonNode> events = DetectCommandTest.parseLines(Files.readString(out.resolve("events.jsonl")));
        assertThat(events).hasSize(2).allSatisfy(event -> assertThat(event.get("clockSkew").asLong())
                .as("three hours ahead").isBetween(3 * 3600L - 600, 3 * 3600L + 60));
    }

    /** {@code count} copies of the six-face sample, captured a second apart from {@code first} (file times). */
    private static Path framesCapturedAt(Path dir, int count, Instant first) throws Exception {
        Files.createDirectories(dir);
        Path sample = CommandRun.assets().resolve("images/tf-mtcnn-test.jpg");
        for (int i = 0; i < count; i++) {
            Path frame = Files.copy(sample, dir.resolve(String.format("f%03d.png", i)));
            Files.setLastModifiedTime(frame, FileTime.from(first.plusSeconds(i)));
        }
        return dir;
    }

    /** A segment is closed once it holds a second of records: a steady stream leaves many closed segments. */
    private static void rollSegmentsEverySecond(String bootstrapServers, String... topics) throws Exception {
        var roll = List.of(new AlterConfigOp(new ConfigEntry(TopicConfig.SEGMENT_MS_CONFIG, "1000"),
                AlterConfigOp.OpType.SET));
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        try (Admin admin = Admin.create(p)) {
            admin.incrementalAlterConfigs(Stream.of(topics).collect(Collectors.toMap(
                    topic -> new ConfigResource(ConfigResource.Type.TOPIC, topic), topic -> roll)))
                    .all().get(30, TimeUnit.SECONDS);
        }
    }

    private static long segments(Path dataDir, String topic) throws Exception {
        try (Stream<Path> files = Files.list(dataDir.resolve(topic + "-0"))) {
            return files.filter(file -> file.getFileName().toString().endsWith(".log")).count();
        }
    }

    private static List<DetectionEvent> awaitEvents(LocalCluster cluster, String topic, int expected)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        List<DetectionEvent> events = List.of();
        while (System.nanoTime() < deadline) {
            events = TopicFrames.records(cluster.bootstrapServers(), cluster.serdes(), topic, DetectionEvent.class)
                    .stream().map(ConsumerRecord::value).toList();
            if (events.size() >= expected) {
                return events;
            }
            Thread.sleep(500);
        }
        throw new AssertionError("only " + events.size() + " of " + expected + " events on " + topic);
    }

    /** What a replay must reproduce: the frame, its capture time, its skew and its faces. */
    private static List<String> summaries(List<DetectionEvent> events) {
        return events.stream().map(event -> event.getEventId() + " " + event.getCapturedAt() + " "
                + event.getClockSkew() + " " + event.getFaces()).toList();
    }

    private static String[] concat(String[] first, String[] second) {
        return Stream.concat(Stream.of(first), Stream.of(second)).toArray(String[]::new);
    }
}
