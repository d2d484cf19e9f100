package io.sightline.app;

import static io.sightline.app.TestModules.faceAnnotateWasm;
import static io.sightline.app.TestModules.sha256;
import static io.sightline.app.TestModules.withCustomSection;
import static org.assertj.core.api.Assertions.assertThat;

import io.sightline.schemas.ConfluentAvroDeserializer;
import io.sightline.schemas.SchemaRegistryClient;
import io.sightline.schemas.SightlineSerdes;
import io.sightline.schemas.Topics;
import io.sightline.schemas.avro.DetectionEvent;
import io.sightline.stream.UdfDeploymentTopic;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `demo --keep-running` (its own JVM) follows `udf deploy` as `process` does: after a deployment made against the
 * demo's broker, the next frame's event carries the deployed version and sha256.
 */
class DemoFollowsDeploymentsTest {

    private static final Pattern RUNNING = Pattern.compile("Running: Kafka at (\\S+), schema registry at (\\S+);");
    private static final Topics TOPICS = Topics.withPrefix(Topics.DEFAULT_PREFIX);

    @TempDir
    Path tmp;

    private Process demo;

    @AfterEach
    void stopDemo() throws Exception {
        if (demo != null && demo.isAlive()) {
            demo.destroy();
            if (!demo.waitFor(60, TimeUnit.SECONDS)) {
                demo.destroyForcibly();
            }
        }
    }

    @Test
    void aDeploymentWhileTheDemoRunsSwitchesItsPipelineBeforeTheNextFrame() throws Exception {
        Path image = CommandRun.assets().resolve("images/tf-mtcnn-test.jpg");
        Path input = Files.createDirectories(tmp.resolve("in"));
        Files.copy(image, input.resolve("first.jpg"));
        byte[] version2 = withCustomSection(faceAnnotateWasm(), "sightline-test", "demo 2");
        Path module = Files.write(tmp.resolve("face-annotate-2.wasm"), version2);
        Path log = tmp.resolve("demo.log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        demo = new ProcessBuilder(java, "-Xmx1g", "-cp", System.getProperty("java.class.path"),
                Sightline.class.getName(), "demo", "--input", input.toString(), "--out", tmp.resolve("out").toString(),
                "--threads", "1", "--keep-running", "--assets", CommandRun.assets().toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Matcher running = awaitLog(log, RUNNING);
        String[] kafka = {"--bootstrap-servers", running.group(1), "--registry-url", running.group(2)};

        CommandRun deploy = CommandRun.of(concat(new String[] {"udf", "deploy", "face-annotate", module.toString(),
                "--version", "2"}, kafka));
        assertThat(deploy.exitCode()).as(deploy.err()).isZero();
        awaitLog(log, Pattern.compile("UDF face-annotate switched to face-annotate@2"));
        Path next = Files.createDirectories(tmp.resolve("next"));
        Files.copy(image, next.resolve("second.jpg"));
        CommandRun ingest = CommandRun.of(concat(new String[] {"ingest", next.toString(), "--camera", "door"}, kafka));
        assertThat(ingest.exitCode()).as(ingest.err()).isZero();

        List<DetectionEvent> events = events(running.group(1), running.group(2), 2);
        assertThat(events).extracting(DetectionEvent::getFrameId).containsExactly("first", "second");
        assertThat(events.get(0).getUdf().getSha256()).isNotEqualTo(sha256(version2));
        assertThat(events.get(1).getUdf().getVersion()).isEqualTo("2");
        assertThat(events.get(1).getUdf().getSha256()).isEqualTo(sha256(version2));
        assertThat(events.get(1).getFaces()).hasSize(6);
        assertThat(new UdfDeploymentTopic(running.group(1), TOPICS.udfs(),
                SightlineSerdes.forUrls(running.group(2))).deployments()).containsOnlyKeys(
                        "face-annotate");
    }

    private static List<DetectionEvent> events(String bootstrapServers, String registryUrl, int count) {
        var events = new ConfluentAvroDeserializer<>(SchemaRegistryClient.forUrls(registryUrl), DetectionEvent.class);
        List<DetectionEvent> read = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 16 * 1024 * 1024), new StringDeserializer(),
                new ByteArrayDeserializer())) {
            var partitions = List.of(new TopicPartition(TOPICS.detections(), 0));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (read.size() < count && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    read.add(events.deserialize(record.topic(), record.value()));
                }
            }
        }
        return read;
    }

    private Matcher awaitLog(Path log, Pattern pattern) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
        while (System.nanoTime() < deadline) {
            Matcher matcher = pattern.matcher(Files.exists(log) ? Files.readString(log) : "");
            if (matcher.find()) {
                return matcher;
            }
            if (!demo.isAlive()) {
                break;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the demo never logged '" + pattern + "':\n" + Files.readString(log));
    }

    private static String[] concat(String[] first, String[] second) {
        List<String> all = new ArrayList<>(List.of(first));
        all.addAll(List.of(second));
        return all.toArray(String[]::new);
    }
}
