package io.sightline.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sightline.cluster.EmbeddedKafkaConfig;
import io.sightline.cluster.LocalCluster;
import io.sightline.model.ModelCatalog;
import io.sightline.model.ModelManifest;
import io.sightline.schemas.Topics;
import io.sightline.schemas.avro.DetectionEvent;
import io.sightline.stream.ModelActivation;
import io.sightline.stream.ModelActivationTopic;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Model hot swap end to end: a processor (its own JVM, `process`) runs real MTCNN on a real broker; `models
 * activate` of the strict version while frames flow switches it, every event naming the version that found its
 * faces; a processor started later runs the activated version from its first frame; an activation the processor
 * cannot honour (file tampered with, sha256 other than its catalog's) leaves the running version. Every frame is one
 * event, never a dead letter.
 */
class ModelActivateTest {

    private static final String PREFIX = "activate";
    private static final Topics TOPICS = Topics.withPrefix(PREFIX);
    private static final ModelManifest DEFAULT = ModelCatalog.bundled().get("mtcnn");
    private static final ModelManifest STRICT = ModelCatalog.bundled().get("mtcnn@tf-mtcnn-b7ffa19-strict");

    @TempDir
    Path tmp;

    private Process processor;
    private Path log;

    @AfterEach
    void stopProcessor() throws Exception {
        stop();
    }

    @Test
    void activatingWhileFramesFlowSwitchesEveryLaterEventToTheNewVersion() throws Exception {
        Path assets = assetsCopy();
        try (LocalCluster cluster = LocalCluster.start(EmbeddedKafkaConfig.defaults(), 0, TOPICS, 1);
                ProcessorOutputs outputs = new ProcessorOutputs(cluster, TOPICS)) {
            String[] kafka = {"--bootstrap-servers", cluster.bootstrapServers(), "--registry-url",
                    cluster.registryUrl().toString(), "--topic-prefix", PREFIX};
            start(cluster, assets, "first");

            ingest(kafka, "before", 4);
            assertThat(outputs.await(4)).allSatisfy(event -> assertThat(version(event)).isEqualTo(DEFAULT.version()));

            CompletableFuture<CommandRun> flowing = CompletableFuture.supplyAsync(() -> ingestRun(kafka, "during", 12));
            CommandRun activate = activate(cluster, STRICT.label());
            assertThat(activate.exitCode()).as(activate.err()).isZero();
            assertThat(activate.out()).startsWith("activated " + STRICT.label() + " (sha256 " + STRICT.sha256()
                    + ") as face-detector in " + TOPICS.models());
            assertThat(flowing.get(120, TimeUnit.SECONDS).exitCode()).isZero();
            awaitLog("model switched from " + DEFAULT.label() + " to " + STRICT.label(), 1);
            System.out.println("activate: " + Files.readString(log).lines()
                    .filter(line -> line.contains("model switched")).findFirst().orElseThrow());
            ingest(kafka, "after", 4);

            List<DetectionEvent> all = outputs.await(20);
            int firstNew = indexOfFirst(all, STRICT.version());
            System.out.printf("activate: first event of the new version at %d of 20 (frames 4-15 flowed during "
                    + "the activation)%n", firstNew);
            assertThat(firstNew).as("an event names the new version").isBetween(4, 16);
            assertThat(all.subList(0, firstNew))
                    .allSatisfy(event -> assertThat(version(event)).isEqualTo(DEFAULT.version()));
            assertThat(all.subList(firstNew, all.size()))
                    .allSatisfy(event -> assertThat(version(event)).isEqualTo(STRICT.version()));
            assertThat(all).allSatisfy(event -> {
                assertThat(event.getModel().getName()).isEqualTo("mtcnn");
                assertThat(event.getModel().getSha256()).isEqualTo(DEFAULT.sha256());
                assertThat(event.getFaces()).isNotEmpty();
            });
            assertThat(all).extracting(DetectionEvent::getFrameId).doesNotHaveDuplicates().hasSize(20);
            assertThat(outputs.deadLetters).isEmpty();

            CommandRun list = CommandRun.of("models", "list", "--json", "--bootstrap-servers",
                    cluster.bootstrapServers(), "--topic-prefix", PREFIX);
            assertThat(list.exitCode()).as(list.err()).isZero();
            JsonNode rows = new ObjectMapper().readTree(list.out());
            assertThat(rows).hasSize(2).allSatisfy(row -> assertThat(row.get("active").asBoolean())
                    .isEqualTo(row.get("version").asText().equals(STRICT.version())));

            // A processor started now runs the activated version from its first frame.
            stop();
            start(cluster, assets, "restarted");
            awaitLog("model " + STRICT.label() + " (sha256", 1);
            ingest(kafka, "restarted", 2);
            assertThat(outputs.await(22).subList(20, 22))
                    .allSatisfy(event -> assertThat(version(event)).isEqualTo(STRICT.version()));

            // The model file under the processor changed on disk: the activation is refused, strict keeps running.
            byte[] model = Files.readAllBytes(assets.resolve("models/mtcnn/mtcnn.pb"));
            model[model.length / 2] ^= 0x5a;
            Files.write(assets.resolve("models/mtcnn/mtcnn.pb"), model);
            assertThat(activate(cluster, "mtcnn").exitCode()).isZero();
            awaitLog("refused, " + STRICT.label() + " keeps running", 1);
            // Nor is a record whose sha256 is not the one this processor's catalog pins.
            new ModelActivationTopic(cluster.bootstrapServers(), TOPICS.models()).activate(
                    new ModelActivation("face-detector", DEFAULT.label(), "0".repeat(64), Instant.now()));
            awaitLog("refused, " + STRICT.label() + " keeps running", 2);
            assertThat(Files.readString(log)).contains("is pinned; replace it")
                    .contains("catalog pins " + DEFAULT.sha256());
            ingest(kafka, "refused", 2);
            assertThat(outputs.await(24).subList(22, 24))
                    .allSatisfy(event -> assertThat(version(event)).isEqualTo(STRICT.version()));
            assertThat(outputs.deadLetters).isEmpty();
            assertThat(processor.isAlive()).isTrue();
        }
    }

    @Test
    void refusesAnUnknownVersionWithExitTwoBeforeAskingTheCluster() {
        CommandRun run = CommandRun.of("models", "activate", "mtcnn@9", "--bootstrap-servers", "127.0.0.1:9");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err().lines().toList()).singleElement().asString()
                .startsWith("sightline models activate: no model mtcnn@9")
                .contains(DEFAULT.label(), STRICT.label());
    }

    private CommandRun activate(LocalCluster cluster, String ref) {
        return CommandRun.of("models", "activate", ref, "--bootstrap-servers", cluster.bootstrapServers(),
                "--topic-prefix", PREFIX);
    }

    /** The shared assets with a copy of the model file the processor may not notice being changed. */
    private Path assetsCopy() throws Exception {
        Path assets = tmp.resolve("assets");
        Path model = Files.createDirectories(assets.resolve("models/mtcnn")).resolve("mtcnn.pb");
        Files.copy(CommandRun.assets().resolve("models/mtcnn/mtcnn.pb"), model);
        return assets;
    }

    private static String version(DetectionEvent event) {
        return event.getModel().getVersion();
    }

    private void ingest(String[] kafka, String batch, int frames) {
        CommandRun run = ingestRun(kafka, batch, frames);
        assertThat(run.exitCode()).as(run.err()).isZero();
    }

    private CommandRun ingestRun(String[] kafka, String batch, int frames) {
        try {
            Path image = CommandRun.assets().resolve("images/tf-mtcnn-test.jpg");
            Path dir = Files.createDirectories(tmp.resolve(batch));
            for (int i = 0; i < frames; i++) {
                Files.copy(image, dir.resolve(String.format("%s-%02d.jpg", batch, i)));
            }
            List<String> args = new ArrayList<>(List.of("ingest", dir.toString(), "--camera", "door"));
            args.addAll(List.of(kafka));
            return CommandRun.of(args.toArray(String[]::new));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private void start(LocalCluster cluster, Path assets, String name) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        log = tmp.resolve(name + ".log");
        var command = List.of(java, "-Xmx1g", "-cp", System.getProperty("java.class.path"),
                Sightline.class.getName(), "process",
                "--bootstrap-servers", cluster.bootstrapServers(), "--registry-url", cluster.registryUrl().toString(),
                "--topic-prefix", PREFIX, "--application-id", "activate-processor", "--assets", assets.toString());
        processor = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private void stop() throws Exception {
        if (processor != null && processor.isAlive()) {
            processor.destroy();
            if (!processor.waitFor(60, TimeUnit.SECONDS)) {
                processor.destroyForcibly();
            }
        }
    }

    private void awaitLog(String text, int times) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            String logged = Files.readString(log);
            if (logged.split(Pattern.quote(text), -1).length - 1 >= times) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the processor never logged '" + text + "' " + times + " time(s):\n"
                + Files.readString(log));
    }

    private static int indexOfFirst(List<DetectionEvent> events, String version) {
        for (int i = 0; i < events.size(); i++) {
            if (version(events.get(i)).equals(version)) {
                return i;
            }
        }
        return -1;
    }
}
