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
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two `sightline process --exactly-once` instances share the frames; one is killed with SIGKILL mid-stream. A
 * read_committed consumer then sees every frame exactly once, as one detection event or one dead letter. The other
 * instance then stops cleanly on SIGTERM.
 */
class ExactlyOnceKillTest {

    private static final int FRAMES_PER_CAMERA = 30;
    private static final String APPLICATION_ID = "eos-kill";

    @TempDir
    Path tmp;

    private final List<Process> processes = new ArrayList<>();

    @AfterEach
    void killProcessors() {
        processes.forEach(Process::destroyForcibly);
    }

    @Test
    void killingOneOfTwoInstancesLosesAndRepeatsNothing() throws Exception {
        Path frames = framesOnTwoCameras();
        try (var kafka = EmbeddedKafka.start(EmbeddedKafkaConfig.defaults());
                var registry = EmbeddedSchemaRegistry.start(0)) {
            Topics topics = Topics.withPrefix("eos");
            Map<String, Integer> partitions = new LinkedHashMap<>();
            topics.all().forEach(topic -> partitions.put(topic, 2));
            kafka.createTopics(partitions);
            String registryUrl = registry.url().toString();

            Process victim = startProcessor(kafka.bootstrapServers(), registryUrl, "victim");
            Process survivor = startProcessor(kafka.bootstrapServers(), registryUrl, "survivor");
            CommandRun ingest = CommandRun.of("ingest", frames.toString(), "--bootstrap-servers",
                    kafka.bootstrapServers(), "--registry-url", registryUrl, "--topic-prefix", "eos");
            assertThat(ingest.exitCode()).as(ingest.err()).isZero();
            int total = 2 * FRAMES_PER_CAMERA;

            // Kill once both instances have started to produce, while most frames are still ahead.
            int seenAtKill = awaitOutputs(kafka, registryUrl, topics, "read_uncommitted", 6,
                    Duration.ofSeconds(120)).size();
            victim.destroyForcibly().waitFor(10, TimeUnit.SECONDS);

            List<String> outputs = awaitOutputs(kafka, registryUrl, topics, "read_committed", total,
                    Duration.ofSeconds(150));
            Thread.sleep(2000); // anything repeated after the last expected output would show up here
            outputs = readOutputs(kafka, registryUrl, topics, "read_committed", Duration.ofSeconds(3),
                    Integer.MAX_VALUE);

            assertThat(seenAtKill).as("outputs written when the instance was killed").isLessThan(total);
            assertThat(survivor.isAlive()).as("the surviving instance keeps running").isTrue();
            assertThat(outputs).as("one output per frame, none lost, none repeated").hasSize(total)
                    .doesNotHaveDuplicates();

            survivor.destroy(); // SIGTERM
            assertThat(survivor.waitFor(60, TimeUnit.SECONDS)).as("exits after SIGTERM").isTrue();
            assertThat(Files.readString(tmp.resolve("survivor.log"))).contains("stopped cleanly");
        }
    }

    private Path framesOnTwoCameras() throws Exception {
        Path image = CommandRun.assets().resolve("images/tf-mtcnn-test.jpg");
        Path root = Files.createDirectories(tmp.resolve("frames"));
        for (String camera : List.of("cam-a", "cam-b")) {
            Path dir = Files.createDirectories(root.resolve(camera));
            for (int i = 0; i < FRAMES_PER_CAMERA; i++) {
                Files.copy(image, dir.resolve(String.format("frame-%03d.jpg", i)));
            }
        }
        return root;
    }

    private Process startProcessor(String bootstrapServers, String registryUrl, String name) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        var command = List.of(java, "-Xmx1g", "-cp", System.getProperty("java.class.path"),
                Sightline.class.getName(), "process", "--exactly-once",
                "--bootstrap-servers", bootstrapServers, "--registry-url", registryUrl, "--topic-prefix", "eos",
                "--application-id", APPLICATION_ID, "--assets", CommandRun.assets().toString());
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(tmp.resolve(name + ".log").toFile())
                .start();
        processes.add(process);
        return process;
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
