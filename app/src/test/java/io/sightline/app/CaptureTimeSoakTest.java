package io.sightline.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sightline.schemas.SightlineSerdes;
import io.sightline.schemas.Topics;
import io.sightline.schemas.avro.DeadLetter;
import io.sightline.schemas.avro.DetectionEvent;
import io.sightline.schemas.avro.Frame;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A short soak of the pipeline as a user runs it, every part a separate `sightline` JVM: `broker --data-dir D`,
 * `process`, and one `ingest dir` of three cameras: {@code a} and {@code b} replay an archive captured a year ago,
 * {@code cam-ahead} is a camera whose clock runs 3 h ahead (capture time = the files' modification time). While the
 * ingest runs, the processor is killed with SIGKILL and replaced, and the broker is stopped with SIGTERM and
 * restarted on D. The frames, detections and dead-letter topics roll small segments, so closed segments exist.
 *
 * <p>The broker checks retention 30 s after it starts ({@code log.initial.task.delay.ms}), then every 5 min. So once
 * the stream is through, the broker is restarted once more and the test waits until that broker has logged a
 * completed retention check: every record written has then been through one.
 *
 * <p>It proves that whatever the cameras' clocks say: every frame handed to ingest is published (none refused for
 * its capture time), is still on the frames topic, and has a detection event or a dead letter (repeats after the
 * kill are allowed in at-least-once mode, and counted) — nothing lost.
 */
class CaptureTimeSoakTest {

    private static final Topics TOPICS = Topics.withPrefix(Topics.DEFAULT_PREFIX);
    private static final String APPLICATION_ID = "soak";
    private static final int FRAMES_PER_CAMERA = 24;
    /** Ingest's pace, all cameras together: 72 frames take 24 s, so the kill and the restart fall mid-stream. */
    private static final double FPS = 3;
    private static final Duration ARCHIVE_AGE = Duration.ofDays(365);
    private static final Duration CLOCK_AHEAD = Duration.ofHours(3);
    /** Kafka 4's smallest segment.bytes: a segment holds about five 180 KB frames. */
    private static final int FRAME_SEGMENT_BYTES = 1024 * 1024;
    /**
     * Events are about 1 KB, so 1 MiB segments would never roll here; Kafka's test-only topic setting
     * {@code internal.segment.bytes} takes sizes below the 1 MiB minimum.
     */
    private static final int OUTPUT_SEGMENT_BYTES = 16 * 1024;
    /** Written once the broker's retention task has run (LogManager, at debug). */
    private static final String RETENTION_CHECK_DONE = "Log cleanup completed";

    @TempDir
    Path tmp;

    private final List<Process> children = new ArrayList<>();
    private final long startNanos = System.nanoTime();
    private int kafkaPort;
    private int controllerPort;
    private int registryPort;

    /** Stops what is still running and keeps the logs of every process in target/capture-time-soak. */
    @AfterEach
    void stopChildren() throws InterruptedException, IOException {
        for (Process child : children) {
            child.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        Path kept = Files.createDirectories(Path.of("target", "capture-time-soak"));
        for (Path log : childLogs()) {
            Files.copy(log, kept.resolve(log.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    @Test
    void archiveAndSkewedCamerasLoseNothingAcrossKillsRestartsAndSegmentRolls() throws Exception {
        Instant now = Instant.now();
        Map<String, Instant> firstCaptures = new LinkedHashMap<>();
        firstCaptures.put("a", now.minus(ARCHIVE_AGE));
        firstCaptures.put("b", now.minus(ARCHIVE_AGE).plusMillis(500));
        firstCaptures.put("cam-ahead", now.plus(CLOCK_AHEAD));
        Path input = tmp.resolve("cameras");
        Set<String> handed = writeCameras(input, firstCaptures);
        Path dataDir = tmp.resolve("kafka-data");
        choosePorts();

        Child broker = startBroker(dataDir, 1);
        rollSmallSegments();
        Processors processors = new Processors();
        processors.start();
        processors.awaitReady(Duration.ofSeconds(120));
        Child ingest = spawn("ingest", List.of("-Xmx512m", "-XX:TieredStopAtLevel=1"), "ingest", "dir",
                input.toString(), "--bootstrap-servers", bootstrapServers(), "--registry-url", registryUrl(),
                "--fps", Double.toString(FPS), "--json");

        // The processor dies mid-stream (SIGKILL); its replacement takes over once the group drops the dead member.
        awaitUntil("6 outputs written", Duration.ofSeconds(120), processors, () -> outputsWritten() >= 6);
        processors.killAndReplace();
        processors.awaitReady(Duration.ofSeconds(120));

        // The broker stops (SIGTERM) with the ingest still publishing, and comes back on the same data and ports.
        awaitUntil("half the frames written", Duration.ofSeconds(120), processors,
                () -> framesWritten() >= handed.size() / 2);
        boolean ingestRunningAtRestart = ingest.process().isAlive();
        long framesAtRestart = framesWritten();
        List<Integer> brokerExits = new ArrayList<>();
        brokerExits.add(stop(broker));
        broker = startBroker(dataDir, 2);

        boolean ingestEnded = ingest.process().waitFor(180, TimeUnit.SECONDS);
        log("ingest ended: " + ingestEnded + ", exit " + (ingestEnded ? ingest.process().exitValue() : "-"));
        boolean caughtUp = awaitDrained(processors, Duration.ofSeconds(120));

        // A restart after the stream: its retention check, 30 s later, sees every record written.
        brokerExits.add(stop(broker));
        broker = startBroker(dataDir, 3);
        broker.awaitLog(RETENTION_CHECK_DONE, Duration.ofSeconds(90));
        log("retention check done on the restarted broker");

        Counts counts = count(handed, dataDir);
        JsonNode ingestSummary = ingestEnded ? lastJsonLine(ingest.log()) : null;
        String report = report(handed, counts, ingest, ingestEnded, ingestSummary, ingestRunningAtRestart,
                framesAtRestart, processors, brokerExits, caughtUp);
        System.out.println(report);

        SoftAssertions soft = new SoftAssertions();
        soft.assertThat(ingestEnded && ingest.process().exitValue() == 0)
                .as("ingest exits 0 (its log ends: %s)", ingest.tail(1)).isTrue();
        soft.assertThat(ingestSummary == null ? -1 : ingestSummary.path("published").asInt(-1))
                .as("frames ingest reports published").isEqualTo(handed.size());
        soft.assertThat(counts.onFramesTopic.keySet().stream().filter(key -> key.startsWith("cam-ahead/")).count())
                .as("frames of cam-ahead (clock 3 h ahead) on the frames topic").isEqualTo(FRAMES_PER_CAMERA);
        soft.assertThat(byCamera(difference(handed, counts.onFramesTopic.keySet())))
                .as("frames handed to ingest that are not on the frames topic, by camera").isEmpty();
        soft.assertThat(byCamera(counts.lost))
                .as("frames with neither a detection event nor a dead letter (lost), by camera").isEmpty();
        soft.assertThat(counts.events.size() + counts.deadLetters.size())
                .as("distinct events + distinct dead letters").isEqualTo(handed.size());
        soft.assertThat(caughtUp).as("every frame on the frames topic got an output in time").isTrue();
        soft.assertThat(counts.segmentsRolled.get(TOPICS.frames())).as("segments the frames topic rolled").isPositive();
        soft.assertAll();
    }

    // ---- input ----------------------------------------------------------------------------------------------------

    /**
     * One folder per camera of {@link #FRAMES_PER_CAMERA} copies of the small sample image (a 498×310 PNG), captured
     * a second apart from the camera's first capture: the files' modification time, as a PNG has no EXIF.
     *
     * @return the frames as {@code camera/frameId}
     */
    private static Set<String> writeCameras(Path root, Map<String, Instant> firstCaptures) throws IOException {
        Path image = CommandRun.assets().resolve("images/tf-mtcnn-test.jpg"); // despite its name a PNG
        Set<String> frames = new TreeSet<>();
        for (var camera : firstCaptures.entrySet()) {
            Path dir = Files.createDirectories(root.resolve(camera.getKey()));
            for (int i = 0; i < FRAMES_PER_CAMERA; i++) {
                String frameId = String.format("frame-%03d", i);
                Path file = Files.copy(image, dir.resolve(frameId + ".png"));
                Files.setLastModifiedTime(file, FileTime.from(camera.getValue().plusSeconds(i)));
                frames.add(camera.getKey() + "/" + frameId);
            }
        }
        return frames;
    }

    // ---- processes ------------------------------------------------------------------------------------------------

    /** A `sightline` command in a JVM of its own, stdout and stderr into {@code <name>.log}. */
    private record Child(String name, Process process, Path log) {

        String text() {
            try {
                return Files.exists(log) ? Files.readString(log) : "";
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        boolean logged(String line) {
            return text().contains(line);
        }

        String tail(int lines) {
            List<String> all = text().lines().toList();
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        }

        /** Waits for {@code line} in the log; fails at once if the process ends first. */
        void awaitLog(String line, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!logged(line)) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    throw new AssertionError(name + " did not log \"" + line + "\" within " + timeout.toSeconds()
                            + " s (alive: " + process.isAlive() + "); its log ends:\n" + tail(20));
                }
                Thread.sleep(200);
            }
        }
    }

    private Child spawn(String name, List<String> jvmOptions, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Sightline.class.getName()));
        command.addAll(List.of(args));
        Path log = tmp.resolve(name + ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("TF_CPP_MIN_LOG_LEVEL", "2");
        builder.environment().put("MALLOC_ARENA_MAX", "2");
        Process process = builder.start();
        children.add(process);
        log(name + " started (pid " + process.pid() + ")");
        return new Child(name, process, log);
    }

    /**
     * `sightline broker` on the test's fixed ports. Its log shows the retention checks (LogManager at debug) and the
     * segments rolled and deleted (the log layer at info).
     */
    private Child startBroker(Path dataDir, int number) throws Exception {
        Child broker = spawn("broker-" + number, List.of("-Xmx768m", "-XX:TieredStopAtLevel=1",
                        "-Dorg.slf4j.simpleLogger.log.kafka.log.LogManager=debug",
                        "-Dorg.slf4j.simpleLogger.log.org.apache.kafka.storage.internals.log=info"),
                "broker", "--data-dir", dataDir.toString(), "--port", Integer.toString(kafkaPort),
                "--controller-port", Integer.toString(controllerPort), "--registry-port",
                Integer.toString(registryPort), "--json");
        broker.awaitLog("{\"bootstrapServers\"", Duration.ofSeconds(90));
        log(broker.name() + " ready");
        return broker;
    }

    /** SIGTERM, then waits for the broker to exit; returns its exit code. */
    private int stop(Child broker) throws InterruptedException {
        broker.process().destroy();
        if (!broker.process().waitFor(60, TimeUnit.SECONDS)) {
            throw new AssertionError(broker.name() + " did not exit within 60 s of SIGTERM; its log ends:\n"
                    + broker.tail(20));
        }
        log(broker.name() + " stopped (SIGTERM), exit " + broker.process().exitValue());
        return broker.process().exitValue();
    }

    /**
     * The `sightline process` instances, one at a time. An instance the test did not kill that exits is restarted,
     * as a supervisor would (the command exits 1 for that when its stream processor stops).
     */
    private final class Processors {

        private final List<Child> started = new ArrayList<>();
        private int killed;
        private int exitedOnTheirOwn;

        Child current() {
            return started.get(started.size() - 1);
        }

        void start() throws IOException {
            // A short session timeout: the replacement of a killed instance takes over after 10 s, not 45 s.
            started.add(spawn("process-" + (started.size() + 1), List.of("-Xmx1g", "-XX:TieredStopAtLevel=1"),
                    "process", "--bootstrap-servers", bootstrapServers(), "--registry-url", registryUrl(),
                    "--application-id", APPLICATION_ID, "--assets", CommandRun.assets().toString(),
                    "-D", "session.timeout.ms=10000"));
        }

        /** SIGKILL, then a new instance in its place. */
        void killAndReplace() throws InterruptedException, IOException {
            current().process().destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            killed++;
            log(current().name() + " killed (SIGKILL)");
            start();
        }

        void supervise() throws IOException {
            if (!current().process().isAlive()) {
                exitedOnTheirOwn++;
                log(current().name() + " exited on its own (" + current().process().exitValue() + "); its log ends:\n"
                        + current().tail(5));
                start();
            }
        }

        void awaitReady(Duration timeout) throws Exception {
            awaitUntil(current().name() + " processing", timeout, this,
                    () -> current().logged("Processing " + TOPICS.frames()));
        }

        @Override
        public String toString() {
            return started.size() + " started, " + killed + " SIGKILLed, " + exitedOnTheirOwn + " exited on their own";
        }
    }

    // ---- the cluster --------------------------------------------------------------------------------------------

    private void choosePorts() throws IOException {
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        try (ServerSocket kafka = new ServerSocket(0, 1, loopback);
                ServerSocket controller = new ServerSocket(0, 1, loopback);
                ServerSocket registry = new ServerSocket(0, 1, loopback)) {
            kafkaPort = kafka.getLocalPort();
            controllerPort = controller.getLocalPort();
            registryPort = registry.getLocalPort();
        }
    }

    private String bootstrapServers() {
        return "127.0.0.1:" + kafkaPort;
    }

    private String registryUrl() {
        return "http://127.0.0.1:" + registryPort;
    }

    private Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000));
    }

    private void rollSmallSegments() throws Exception {
        Map<ConfigResource, Collection<AlterConfigOp>> changes = new LinkedHashMap<>();
        changes.put(new ConfigResource(ConfigResource.Type.TOPIC, TOPICS.frames()),
                List.of(set(TopicConfig.SEGMENT_BYTES_CONFIG, FRAME_SEGMENT_BYTES)));
        for (String topic : List.of(TOPICS.detections(), TOPICS.deadLetters())) {
            changes.put(new ConfigResource(ConfigResource.Type.TOPIC, topic),
                    List.of(set("internal.segment.bytes", OUTPUT_SEGMENT_BYTES)));
        }
        try (Admin admin = admin()) {
            admin.incrementalAlterConfigs(changes).all().get(30, TimeUnit.SECONDS);
        }
    }

    private static AlterConfigOp set(String name, int value) {
        return new AlterConfigOp(new ConfigEntry(name, Integer.toString(value)), AlterConfigOp.OpType.SET);
    }

    /** Offsets of each partition of the topic: earliest (log start) or latest (end). */
    private Map<TopicPartition, Long> offsets(String topic, OffsetSpec spec) throws Exception {
        try (Admin admin = admin()) {
            int partitions = admin.describeTopics(List.of(topic)).allTopicNames().get(15, TimeUnit.SECONDS)
                    .get(topic).partitions().size();
            Map<TopicPartition, OffsetSpec> request = new LinkedHashMap<>();
            for (int p = 0; p < partitions; p++) {
                request.put(new TopicPartition(topic, p), spec);
            }
            Map<TopicPartition, Long> offsets = new TreeMap<>(
                    (x, y) -> Integer.compare(x.partition(), y.partition()));
            admin.listOffsets(request).all().get(15, TimeUnit.SECONDS)
                    .forEach((partition, info) -> offsets.put(partition, info.offset()));
            return offsets;
        }
    }

    private long ended(String topic) throws Exception {
        return offsets(topic, OffsetSpec.latest()).values().stream().mapToLong(Long::longValue).sum();
    }

    /** Records ever appended to the frames topic: end offsets, which retention does not lower. */
    private long framesWritten() throws Exception {
        return ended(TOPICS.frames());
    }

    private long outputsWritten() throws Exception {
        return ended(TOPICS.detections()) + ended(TOPICS.deadLetters());
    }

    // ---- waiting ----------------------------------------------------------------------------------------------

    private interface Check {
        boolean holds() throws Exception;
    }

    /** Polls {@code check} (a failing read counts as not yet), restarting a processor that exited on its own. */
    private void awaitUntil(String what, Duration timeout, Processors processors, Check check) throws Exception {
        if (!poll(timeout, processors, check)) {
            throw new AssertionError("not reached within " + timeout.toSeconds() + " s: " + what);
        }
        log(what);
    }

    private boolean poll(Duration timeout, Processors processors, Check check) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            processors.supervise();
            try {
                if (check.holds()) {
                    return true;
                }
            } catch (Exception notYet) {
                // the broker is restarting or a topic is not readable yet: try again
            }
            Thread.sleep(500);
        }
        return false;
    }

    /**
     * Until every frame on the frames topic has an output, once the ingest has ended: the processors have then had
     * their go at everything published.
     */
    private boolean awaitDrained(Processors processors, Duration timeout) throws Exception {
        boolean drained = poll(timeout, processors, () -> {
            Set<String> accounted = new TreeSet<>(events().keySet());
            accounted.addAll(deadLetters().keySet());
            return accounted.containsAll(framesOnTopic().keySet());
        });
        log("processors " + (drained ? "caught up" : "did not catch up within " + timeout.toSeconds() + " s"));
        return drained;
    }

    // ---- counting -----------------------------------------------------------------------------------------------

    /** The frames now on the frames topic, as {@code camera/frameId} with how often each is there. */
    private Map<String, Integer> framesOnTopic() {
        return recordsByFrame(TOPICS.frames(), Frame.class, f -> f.getCameraId() + "/" + f.getFrameId());
    }

    private Map<String, Integer> events() {
        return recordsByFrame(TOPICS.detections(), DetectionEvent.class, e -> e.getCameraId() + "/" + e.getFrameId());
    }

    private Map<String, Integer> deadLetters() {
        return recordsByFrame(TOPICS.deadLetters(), DeadLetter.class, l -> l.getCameraId() + "/" + l.getFrameId());
    }

    /** Every record now on the topic, read from the beginning, counted by its frame. */
    private <T extends SpecificRecord> Map<String, Integer> recordsByFrame(String topic, Class<T> type,
            Function<T, String> frame) {
        SightlineSerdes serdes = SightlineSerdes.forUrls(registryUrl());
        Map<String, Integer> counts = new TreeMap<>();
        TopicFrames.records(bootstrapServers(), serdes, topic, type)
                .forEach(record -> counts.merge(frame.apply(record.value()), 1, Integer::sum));
        return counts;
    }

    private record Counts(Map<String, Integer> onFramesTopic, Map<String, Integer> events,
            Map<String, Integer> deadLetters, Set<String> lost, Map<String, long[]> offsets,
            Map<String, Long> segmentsOnDisk, Map<String, Long> segmentsRolled,
            Map<String, Long> segmentsDeletedByRetention) {
    }

    private Counts count(Set<String> handed, Path dataDir) throws Exception {
        Map<String, Integer> onFramesTopic = framesOnTopic();
        Map<String, Integer> events = events();
        Map<String, Integer> deadLetters = deadLetters();
        Set<String> lost = new TreeSet<>(handed);
        lost.removeAll(events.keySet());
        lost.removeAll(deadLetters.keySet());

        List<String> topics = List.of(TOPICS.frames(), TOPICS.detections(), TOPICS.deadLetters());
        Map<String, long[]> offsets = new LinkedHashMap<>();
        Map<String, Long> segmentsOnDisk = new LinkedHashMap<>();
        Map<String, Long> rolled = new LinkedHashMap<>();
        Map<String, Long> deleted = new LinkedHashMap<>();
        List<String> brokerLog = brokerLogLines();
        for (String topic : topics) {
            long start = offsets(topic, OffsetSpec.earliest()).values().stream().mapToLong(Long::longValue).sum();
            offsets.put(topic, new long[] {start, ended(topic)});
            segmentsOnDisk.put(topic, segmentFiles(dataDir, topic));
            String partitionOf = "partition=" + topic + "-";
            rolled.put(topic, brokerLog.stream()
                    .filter(line -> line.contains(partitionOf) && line.contains("Rolled new log segment")).count());
            deleted.put(topic, brokerLog.stream()
                    .filter(line -> line.contains(partitionOf) && line.contains("due to log retention time")).count());
        }
        return new Counts(onFramesTopic, events, deadLetters, lost, offsets, segmentsOnDisk, rolled, deleted);
    }

    private List<String> brokerLogLines() throws IOException {
        List<String> lines = new ArrayList<>();
        for (Path log : childLogs()) {
            if (log.getFileName().toString().startsWith("broker-")) {
                lines.addAll(Files.readAllLines(log));
            }
        }
        return lines;
    }

    private List<Path> childLogs() throws IOException {
        try (Stream<Path> files = Files.list(tmp)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".log") && Files.isRegularFile(p))
                    .sorted().toList();
        }
    }

    /** Segment files of the topic's partitions in the data directory (those being deleted end in .deleted). */
    private static long segmentFiles(Path dataDir, String topic) throws IOException {
        try (Stream<Path> files = Files.walk(dataDir)) {
            return files.filter(p -> p.getParent().getFileName().toString().startsWith(topic + "-")
                    && p.getFileName().toString().endsWith(".log")).count();
        }
    }

    // ---- report -------------------------------------------------------------------------------------------------

    private String report(Set<String> handed, Counts counts, Child ingest, boolean ingestEnded,
            JsonNode ingestSummary, boolean ingestRunningAtRestart, long framesAtRestart, Processors processors,
            List<Integer> brokerExits, boolean caughtUp) {
        StringBuilder out = new StringBuilder("\n==== CaptureTimeSoakTest after ")
                .append(elapsedSeconds()).append(" s ====\n");
        line(out, "handed to ingest", handed.size() + " " + byCamera(handed));
        line(out, "ingest", !ingestEnded ? "still running" : "exit " + ingest.process().exitValue() + ", "
                + (ingestSummary != null ? ingestSummary : "no summary; log ends: " + ingest.tail(1)));
        line(out, "broker restarts", "2 (SIGTERM exits " + brokerExits + "); first one with ingest "
                + (ingestRunningAtRestart ? "running" : "ended") + ", " + framesAtRestart + " frames written");
        line(out, "processors", processors + "; caught up: " + caughtUp);
        line(out, "frames on topic", counts.onFramesTopic.size() + " distinct " + byCamera(counts.onFramesTopic.keySet())
                + ", " + repeats(counts.onFramesTopic) + " repeated");
        line(out, "detection events", counts.events.size() + " distinct " + byCamera(counts.events.keySet()) + ", "
                + repeats(counts.events) + " duplicates" + duplicated(counts.events));
        line(out, "dead letters", counts.deadLetters.size() + " distinct " + byCamera(counts.deadLetters.keySet())
                + ", " + repeats(counts.deadLetters) + " duplicates" + duplicated(counts.deadLetters));
        line(out, "lost", counts.lost.size() + " " + byCamera(counts.lost)
                + (counts.lost.isEmpty() ? "" : ", e.g. " + counts.lost.stream().limit(6).toList()));
        counts.offsets.forEach((topic, range) -> line(out, topic,
                "appended " + range[1] + ", removed (log start offset) " + range[0] + ", left " + (range[1] - range[0])
                        + "; segments rolled " + counts.segmentsRolled.get(topic) + ", deleted by retention time "
                        + counts.segmentsDeletedByRetention.get(topic) + ", on disk " + counts.segmentsOnDisk.get(topic)));
        return out.append("====").toString();
    }

    private static void line(StringBuilder out, String label, String text) {
        out.append(String.format("  %-22s %s%n", label, text));
    }

    private static Map<String, Long> byCamera(Collection<String> frames) {
        return frames.stream().collect(Collectors.groupingBy(frame -> frame.substring(0, frame.indexOf('/')),
                TreeMap::new, Collectors.counting()));
    }

    private static int repeats(Map<String, Integer> counts) {
        return counts.values().stream().mapToInt(n -> n - 1).sum();
    }

    private static String duplicated(Map<String, Integer> counts) {
        List<String> repeated = counts.entrySet().stream().filter(e -> e.getValue() > 1)
                .map(e -> e.getKey() + "×" + e.getValue()).toList();
        return repeated.isEmpty() ? "" : " " + repeated;
    }

    private static Set<String> difference(Set<String> all, Set<String> present) {
        Set<String> missing = new TreeSet<>(all);
        missing.removeAll(present);
        return missing;
    }

    private static JsonNode lastJsonLine(Path log) throws IOException {
        List<String> json = Files.readAllLines(log).stream().filter(line -> line.startsWith("{")).toList();
        return json.isEmpty() ? null : new ObjectMapper().readTree(json.get(json.size() - 1));
    }

    private long elapsedSeconds() {
        return Duration.ofNanos(System.nanoTime() - startNanos).toSeconds();
    }

    private void log(String what) {
        System.out.printf("[soak %5.1f s] %s%n", (System.nanoTime() - startNanos) / 1e9, what);
    }
}
