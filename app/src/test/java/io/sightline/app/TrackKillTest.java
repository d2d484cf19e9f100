package io.sightline.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sightline.cluster.EmbeddedKafka;
import io.sightline.cluster.EmbeddedKafkaConfig;
import io.sightline.schemas.ConfluentAvroDeserializer;
import io.sightline.schemas.EmbeddedSchemaRegistry;
import io.sightline.schemas.SchemaRegistryClient;
import io.sightline.schemas.Topics;
import io.sightline.schemas.avro.DetectionEvent;
import io.sightline.schemas.avro.FaceDetection;
import io.sightline.schemas.avro.TrackEvent;
import io.sightline.schemas.avro.TrackEventKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The labelled sequence eval/tracks/crossing-5fps (six faces crossing and hiding each other) as camera {@code cam-1},
 * through `sightline process --exactly-once`, which is killed with SIGKILL mid-sequence and started again: every
 * face has the track id `detect` gives it on the same frames without a broker or a kill, and each track is started
 * once and ended once (a read_committed consumer).
 */
class TrackKillTest {

    private static final Path SEQUENCE = Path.of("../eval/tracks/crossing-5fps").toAbsolutePath().normalize();
    private static final String APPLICATION_ID = "track-kill";

    @TempDir
    Path tmp;

    private final List<Process> processes = new ArrayList<>();

    @AfterEach
    void killProcessors() {
        processes.forEach(Process::destroyForcibly);
    }

    @Test
    void aKilledProcessorChangesNoTrackIdAndLosesOrRepeatsNoLifecycleRecord() throws Exception {
        Path camera = framesAtTheirLabelledTimes(Files.createDirectories(tmp.resolve("frames/cam-1")));
        Map<String, List<Long>> expected = idsWithoutABroker(camera);
        assertThat(expected).hasSize(40);

        try (var kafka = EmbeddedKafka.start(EmbeddedKafkaConfig.defaults());
                var registry = EmbeddedSchemaRegistry.start(0)) {
            Topics topics = Topics.withPrefix("trk");
            Map<String, Integer> partitions = new LinkedHashMap<>();
            topics.all().forEach(topic -> partitions.put(topic, 2));
            kafka.createTopics(partitions);
            String registryUrl = registry.url().toString();
            Process first = startProcessor(kafka.bootstrapServers(), registryUrl, "first");
            awaitLog("first", "Processing ");
            CompletableFuture<CommandRun> ingest = CompletableFuture.supplyAsync(() -> CommandRun.of("ingest", "dir",
                    tmp.resolve("frames").toString(), "--fps", "3", "--bootstrap-servers", kafka.bootstrapServers(),
                    "--registry-url", registryUrl, "--topic-prefix", "trk"));

            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            int seenAtKill = 0;
            while (seenAtKill < 10 && System.nanoTime() < deadline) {
                seenAtKill = read(kafka, topics.detections(), "read_uncommitted", 10).size();
            }
            first.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            startProcessor(kafka.bootstrapServers(), registryUrl, "second");
            assertThat(ingest.get(120, TimeUnit.SECONDS).exitCode()).isZero();

            List<DetectionEvent> events = List.of();
            deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(150);
            while (events.size() < 40 && System.nanoTime() < deadline) {
                Thread.sleep(500);
                events = events(kafka, registryUrl, topics, "read_committed");
            }

            assertThat(seenAtKill).as("events when the processor was killed").isBetween(10, 39);
            assertThat(events).extracting(DetectionEvent::getFrameId).hasSize(40).doesNotHaveDuplicates().isSorted();
            Map<String, List<Long>> tracked = new TreeMap<>();
            events.forEach(event -> tracked.put(event.getFrameId(), ids(event)));
            assertThat(tracked).isEqualTo(expected);

            List<TrackEvent> lifecycle = tracks(kafka, registryUrl, topics);
            Set<Long> all = expected.values().stream().flatMap(List::stream).collect(Collectors.toSet());
            assertThat(lifecycle).filteredOn(t -> t.getKind() == TrackEventKind.STARTED)
                    .extracting(TrackEvent::getTrackId).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(all);
            assertThat(lifecycle).filteredOn(t -> t.getKind() == TrackEventKind.ENDED)
                    .extracting(TrackEvent::getTrackId).doesNotHaveDuplicates()
                    .containsExactlyInAnyOrderElementsOf(endedBy(events, Duration.ofMillis(1500)));
        }
    }

    /** Copies of the sequence's frames, each file's time its labelled capture time (what `ingest dir` reads). */
    private static Path framesAtTheirLabelledTimes(Path camera) throws Exception {
        JsonNode labels = new ObjectMapper().readTree(SEQUENCE.resolve("labels.json").toFile());
        for (JsonNode frame : labels.get("frames")) {
            Path copy = Files.copy(SEQUENCE.resolve(frame.get("file").asText()),
                    camera.resolve(frame.get("file").asText()));
            Files.setLastModifiedTime(copy, FileTime.from(Instant.parse(frame.get("time").asText())));
        }
        return camera;
    }

    /** Each frame's track ids as `detect --json` gives them: one camera in name order at the files' times. */
    private static Map<String, List<Long>> idsWithoutABroker(Path camera) throws Exception {
        CommandRun run = CommandRun.of("detect", camera.toString(), "--json", "--assets",
                CommandRun.assets().toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        Map<String, List<Long>> ids = new TreeMap<>();
        for (JsonNode result : DetectCommandTest.parseLines(run.out())) {
            List<Long> frame = new ArrayList<>();
            result.get("faces").forEach(face -> {
                if (!face.get("trackId").isNull()) {
                    frame.add(face.get("trackId").asLong());
                }
            });
            String name = Path.of(result.get("image").asText()).getFileName().toString();
            ids.put(name.substring(0, name.lastIndexOf('.')), frame.stream().sorted().toList());
        }
        return ids;
    }

    private static List<Long> ids(DetectionEvent event) {
        return event.getFaces().stream().map(FaceDetection::getTrackId).filter(id -> id != null).sorted().toList();
    }

    /** The tracks a tracker ends within these events: seen last more than the miss time before a later frame. */
    private static Set<Long> endedBy(List<DetectionEvent> events, Duration maxMiss) {
        Map<Long, Instant> lastSeen = new HashMap<>();
        events.forEach(event -> ids(event).forEach(id -> lastSeen.put(id, event.getCapturedAt())));
        Instant last = events.get(events.size() - 1).getCapturedAt();
        return lastSeen.entrySet().stream()
                .filter(entry -> Duration.between(entry.getValue(), last).compareTo(maxMiss) > 0)
                .map(Map.Entry::getKey).collect(Collectors.toSet());
    }

    /** Waits until the instance's log says {@code text}: it runs. */
    private void awaitLog(String name, String text) throws Exception {
        Path log = tmp.resolve(name + ".log");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!(Files.exists(log) && Files.readString(log).contains(text))) {
            assertThat(System.nanoTime()).as("%s has not started: %s", name,
                    Files.exists(log) ? Files.readString(log) : "no log").isLessThan(deadline);
            Thread.sleep(200);
        }
    }

    private Process startProcessor(String bootstrapServers, String registryUrl, String name) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        var command = List.of(java, "-Xmx1g", "-cp", System.getProperty("java.class.path"),
                Sightline.class.getName(), "process", "--threads", "1", "--exactly-once",
                "--bootstrap-servers", bootstrapServers, "--registry-url", registryUrl, "--topic-prefix", "trk",
                "--application-id", APPLICATION_ID, "--state-dir", tmp.resolve("state").toString(),
                "--assets", CommandRun.assets().toString());
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(tmp.resolve(name + ".log").toFile()).start();
        processes.add(process);
        return process;
    }

    private static List<DetectionEvent> events(EmbeddedKafka kafka, String registryUrl, Topics topics,
            String isolation) {
        var events = new ConfluentAvroDeserializer<>(SchemaRegistryClient.forUrls(registryUrl), DetectionEvent.class);
        return read(kafka, topics.detections(), isolation, Integer.MAX_VALUE).stream()
                .map(bytes -> events.deserialize(topics.detections(), bytes)).toList();
    }

    private static List<TrackEvent> tracks(EmbeddedKafka kafka, String registryUrl, Topics topics) {
        var tracks = new ConfluentAvroDeserializer<>(SchemaRegistryClient.forUrls(registryUrl), TrackEvent.class);
        return read(kafka, topics.tracks(), "read_committed", Integer.MAX_VALUE).stream()
                .map(bytes -> tracks.deserialize(topics.tracks(), bytes)).toList();
    }

    /** The topic's record values, read until nothing new comes for a second or {@code enough} are read. */
    private static List<byte[]> read(EmbeddedKafka kafka, String topic, String isolation, int enough) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "reader-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
        List<byte[]> values = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long idleUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
            while (System.nanoTime() < idleUntil && values.size() < enough) {
                var records = consumer.poll(Duration.ofMillis(200));
                records.forEach(record -> values.add(record.value()));
                if (!records.isEmpty()) {
                    idleUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
                }
            }
        }
        return values;
    }
}
