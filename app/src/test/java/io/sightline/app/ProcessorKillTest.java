package io.sightline.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.sightline.cluster.EmbeddedKafka;
import io.sightline.cluster.EmbeddedKafkaConfig;
import io.sightline.schemas.ConfluentAvroDeserializer;
import io.sightline.schemas.EmbeddedSchemaRegistry;
import io.sightline.schemas.SchemaRegistryClient;
import io.sightline.schemas.Topics;
import io.sightline.schemas.avro.DeadLetter;
import io.sightline.schemas.avro.DetectionEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two `sightline process` instances share the frames of cameras {@code a} and {@code b} (both on partition 0 of 2,
 * so their frames are spread over both instances); one, shown to own partitions at that moment, is killed with
 * SIGKILL while most frames are still ahead. With {@code --exactly-once} a read_committed consumer then sees every
 * frame exactly once, as one detection event or one dead letter, each camera's events in frame order; at least once
 * (the default), no frame is lost and each camera's events are in frame order but for repeats of frames processed
 * again after the kill. The other instance then stops cleanly on SIGTERM.
 */
class ProcessorKillTest {

    private static final int FRAMES_PER_CAMERA = 30;

    @TempDir
    Path tmp;

    private final List<Process> processes = new ArrayList<>();

    @AfterEach
    void killProcessors() {
        processes.forEach(Process::destroyForcibly);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(booleans = {true, false})
    void killingABusyInstanceLosesNothingAndKeepsEachCamerasOrder(boolean exactlyOnce) throws Exception {
        Path frames = framesOnTwoCameras();
        String applicationId = exactlyOnce ? "eos-kill" : "alo-kill";
        try (var kafka = EmbeddedKafka.start(EmbeddedKafkaConfig.defaults());
                var registry = EmbeddedSchemaRegistry.start(0)) {
            Topics topics = Topics.withPrefix("eos");
            Map<String, Integer> partitions = new LinkedHashMap<>();
            topics.all().forEach(topic -> partitions.put(topic, 2));
            kafka.createTopics(partitions);
            String registryUrl = registry.url().toString();

            Process victim = startProcessor(kafka.bootstrapServers(), registryUrl, "victim", applicationId,
                    exactlyOnce);
            Process survivor = startProcessor(kafka.bootstrapServers(), registryUrl, "survivor", applicationId,
                    exactlyOnce);
            CommandRun ingest = CommandRun.of("ingest", frames.toString(), "--bootstrap-servers",
                    kafka.bootstrapServers(), "--registry-url", registryUrl, "--topic-prefix", "eos");
            assertThat(ingest.exitCode()).as(ingest.err()).isZero();
            int total = 2 * FRAMES_PER_CAMERA;

            // Kill once both instances have started to produce, while most frames are still ahead.
            int seenAtKill = awaitOutputs(kafka, registryUrl, topics, "read_uncommitted", 6,
                    Duration.ofSeconds(120)).size();
            List<String> ownedAtKill = partitionsOf(kafka.bootstrapServers(), applicationId, "victim");
            victim.destroyForcibly().waitFor(10, TimeUnit.SECONDS);

            String isolation = exactlyOnce ? "read_committed" : "read_uncommitted";
            awaitDistinctOutputs(kafka, registryUrl, topics, isolation, total, Duration.ofSeconds(150));
            Thread.sleep(2000); // anything repeated after the last expected output would show up here
            List<String> outputs = readOutputs(kafka, registryUrl, topics, isolation, Duration.ofSeconds(3),
                    Integer.MAX_VALUE);

            assertThat(ownedAtKill).as("partitions the killed instance owned").isNotEmpty();
            assertThat(seenAtKill).as("outputs written when the instance was killed").isLessThan(total);
            assertThat(survivor.isAlive()).as("the surviving instance keeps running").isTrue();
            assertThat(outputs.stream().distinct()).as("every frame, none lost").hasSize(total);
            if (exactlyOnce) {
                assertThat(outputs).as("one output per frame, none repeated").hasSize(total).doesNotHaveDuplicates();
            }
            for (String camera : List.of("a", "b")) {
                List<String> events = readEvents(kafka, registryUrl, topics, isolation, camera);
                List<String> firstTimes = events.stream().distinct().toList();
                assertThat(firstTimes).as("camera " + camera + "'s events in frame order").isSorted();
                if (exactlyOnce) {
                    assertThat(events).as("camera " + camera + ", exactly once").isEqualTo(firstTimes);
                }
            }

            survivor.destroy(); // SIGTERM
            assertThat(survivor.waitFor(60, TimeUnit.SECONDS)).as("exits after SIGTERM").isTrue();
            assertThat(Files.readString(tmp.resolve("survivor.log"))).contains("stopped cleanly");
        }
    }

    private Path framesOnTwoCameras() throws Exception {
        Path image = CommandRun.assets().resolve("images/tf-mtcnn-test.jpg");
        Path root = Files.createDirectories(tmp.resolve("frames"));
        for (String camera : List.of("a", "b")) {
            Path dir = Files.createDirectories(root.resolve(camera));
            for (int i = 0; i < FRAMES_PER_CAMERA; i++) {
                Files.copy(image, dir.resolve(String.format("frame-%03d.jpg", i)));
            }
        }
        return root;
    }

    private Process startProcessor(String bootstrapServers, String registryUrl, String name, String applicationId,
            boolean exactlyOnce) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        var command = new ArrayList<>(List.of(java, "-Xmx1g", "-cp", System.getProperty("java.class.path"),
                Sightline.class.getName(), "process", "--threads", "1",
                "--bootstrap-servers", bootstrapServers, "--registry-url", registryUrl, "--topic-prefix", "eos",
                "--application-id", applicationId, "--assets", CommandRun.assets().toString(),
                // The instance's consumers are named after it, so the test can see what it owns.
                "-D", "client.id=" + name));
        if (exactlyOnce) {
            command.add("--exactly-once");
        }
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(tmp.resolve(name + ".log").toFile())
                .start();
        processes.add(process);
        return process;
    }

    /** The topic partitions the instance {@code name} of the group owns now. */
    private static List<String> partitionsOf(String bootstrapServers, String group, String name) throws Exception {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        try (Admin admin = Admin.create(p)) {
            var description = admin.describeConsumerGroups(List.of(group)).all().get(30, TimeUnit.SECONDS)
                    .get(group);
            return description.members().stream()
                    .filter(member -> member.clientId().startsWith(name + "-"))
                    .flatMap(member -> member.assignment().topicPartitions().stream())
                    .map(Object::toString)
                    .toList();
        }
    }

    /** Polls until {@code count} distinct outputs are visible with the given isolation level. */
    private static void awaitDistinctOutputs(EmbeddedKafka kafka, String registryUrl, Topics topics,
            String isolation, int count, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        long distinct = 0;
        while (System.nanoTime() < deadline) {
            distinct = readOutputs(kafka, registryUrl, topics, isolation, Duration.ofSeconds(1), Integer.MAX_VALUE)
                    .stream().distinct().count();
            if (distinct >= count) {
                return;
            }
        }
        throw new AssertionError("only " + distinct + " of " + count + " frames (" + isolation + ") after "
                + timeout);
    }

    /** The frames of one camera's detection events, in the order of its partition of the detections topic. */
    private static List<String> readEvents(EmbeddedKafka kafka, String registryUrl, Topics topics, String isolation,
            String camera) {
        var events = new ConfluentAvroDeserializer<>(SchemaRegistryClient.forUrls(registryUrl),
                DetectionEvent.class);
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
        List<String> frames = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
            for (var info : consumer.partitionsFor(topics.detections())) {
                var partition = new TopicPartition(topics.detections(), info.partition());
                consumer.assign(List.of(partition));
                consumer.seekToBeginning(List.of(partition));
                long end = consumer.endOffsets(List.of(partition)).get(partition);
                while (consumer.position(partition) < end) {
                    for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                        DetectionEvent event = events.deserialize(record.topic(), record.value());
                        if (event.getCameraId().equals(camera)) {
                            frames.add(event.getFrameId());
                        }
                    }
                }
            }
        }
        return frames;
    }

    /** Polls until at least {@code count} outputs are visible with the given isolation level. */
    private static List<String> awaitOutputs(EmbeddedKafka kafka, String registryUrl, Topics topics,
            String isolation, int count, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<String> outputs = List.of();
        while (System.nanoTime() < deadline) {
            outputs = readOutputs(kafka, registryUrl, topics, isolation, Duration.ofSeconds(1), count);
            if (outputs.size() >= count) {
                return outputs;
            }
        }
        throw new AssertionError("only " + outputs.size() + " of " + count + " outputs (" + isolation + ") after "
                + timeout);
    }

    /**
     * The frame of every detection event and dead letter on the output topics, as "camera/frame": read until nothing
     * new arrives for {@code idle}, or until {@code enough} are read.
     */
    private static List<String> readOutputs(EmbeddedKafka kafka, String registryUrl, Topics topics,
            String isolation, Duration idle, int enough) {
        var client = SchemaRegistryClient.forUrls(registryUrl);
        var events = new ConfluentAvroDeserializer<>(client, DetectionEvent.class);
        var letters = new ConfluentAvroDeserializer<>(client, DeadLetter.class);
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "reader-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 16 * 1024 * 1024);
        List<String> outputs = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topics.detections(), topics.deadLetters()));
            long idleUntil = System.nanoTime() + idle.toNanos();
            while (System.nanoTime() < idleUntil && outputs.size() < enough) {
                var records = consumer.poll(Duration.ofMillis(200));
                for (ConsumerRecord<String, byte[]> record : records) {
                    if (record.topic().equals(topics.detections())) {
                        DetectionEvent event = events.deserialize(record.topic(), record.value());
                        outputs.add(event.getCameraId() + "/" + event.getFrameId());
                    } else {
                        DeadLetter letter = letters.deserialize(record.topic(), record.value());
                        outputs.add(letter.getCameraId() + "/" + letter.getFrameId());
                    }
                }
                if (!records.isEmpty()) {
                    idleUntil = System.nanoTime() + idle.toNanos();
                }
            }
        }
        return outputs;
    }
}
