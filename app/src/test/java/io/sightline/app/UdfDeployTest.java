package io.sightline.app;

import static io.sightline.app.TestModules.faceAnnotateWasm;
import static io.sightline.app.TestModules.sha256;
import static io.sightline.app.TestModules.withCustomSection;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sightline.cluster.EmbeddedKafkaConfig;
import io.sightline.cluster.LocalCluster;
import io.sightline.schemas.Topics;
import io.sightline.schemas.avro.DetectionEvent;
import io.sightline.schemas.avro.UdfDeploymentRecord;
import io.sightline.stream.UdfDeploymentTopic;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Deploy and hot swap end to end: a processor (its own JVM, `process --udf face-annotate`) runs the bundled UDF on a
 * real broker; `udf deploy` of a new module while frames flow switches it between two records, `udf list` shows
 * the deployment, a record the processor refuses keeps the running version, `udf remove` goes back to the bundled
 * UDF. Every frame is one event or one dead letter.
 */
class UdfDeployTest {

    private static final String PREFIX = "swap";
    private static final Topics TOPICS = Topics.withPrefix(PREFIX);
    private static final String REFUSED = "sightline_udf_deployments_refused_total{component=\"process\",reason=\"";

    @TempDir
    Path tmp;

    private Process processor;

    @AfterEach
    void stopProcessor() throws Exception {
        SightlineProcess.stop(processor);
    }

    @Test
    void deployingWhileFramesFlowSwitchesBetweenRecordsAndRemoveGoesBackToTheBundledUdf() throws Exception {
        byte[] bundled = faceAnnotateWasm();
        byte[] version2 = withCustomSection(bundled, "sightline-test", "version 2");
        Path module = Files.write(tmp.resolve("face-annotate-2.wasm"), version2);
        try (LocalCluster cluster = LocalCluster.start(EmbeddedKafkaConfig.defaults(), 0, TOPICS, 1);
                ProcessorOutputs outputs = new ProcessorOutputs(cluster, TOPICS)) {
            String[] kafka = {"--bootstrap-servers", cluster.bootstrapServers(), "--registry-url",
                    cluster.registryUrl().toString(), "--topic-prefix", PREFIX};
            processor = startProcessor(cluster);

            ingest(kafka, "before", 4);
            List<DetectionEvent> before = outputs.await(4);
            assertThat(before).allSatisfy(event -> assertThat(event.getUdf().getSha256()).isEqualTo(sha256(bundled)));

            CompletableFuture<CommandRun> flowing = CompletableFuture.supplyAsync(() -> ingestRun(kafka, "during", 12));
            long deployStarted = System.nanoTime();
            CommandRun deploy = CommandRun.of(concat(new String[] {"udf", "deploy", "face-annotate",
                    module.toString(), "--version", "2"}, kafka));
            assertThat(deploy.exitCode()).as(deploy.err()).isZero();
            assertThat(deploy.out()).startsWith("deployed face-annotate@2 (sha256 " + sha256(version2));
            assertThat(flowing.get(120, TimeUnit.SECONDS).exitCode()).isZero();
            awaitLog("UDF face-annotate switched to face-annotate@2");
            ingest(kafka, "after", 4);

            List<DetectionEvent> all = outputs.await(20);
            int firstNew = indexOfFirst(all, sha256(version2));
            System.out.printf("swap: first event with the new sha256 %d ms after `udf deploy` started%n",
                    outputs.arrivalNanos.get(firstNew) / 1_000_000 - deployStarted / 1_000_000);
            System.out.println("swap: " + Files.readString(tmp.resolve("processor.log")).lines()
                    .filter(line -> line.contains("loaded in")).findFirst().orElse("no load time logged"));
            assertThat(firstNew).as("an event carries the new sha256").isBetween(4, 16);
            assertThat(all.subList(0, firstNew)).allSatisfy(event -> {
                assertThat(event.getUdf().getSha256()).isEqualTo(sha256(bundled));
                assertThat(event.getUdf().getVersion()).isNotEqualTo("2");
            });
            assertThat(all.subList(firstNew, all.size())).allSatisfy(event -> {
                assertThat(event.getUdf().getSha256()).isEqualTo(sha256(version2));
                assertThat(event.getUdf().getVersion()).isEqualTo("2");
                assertThat(event.getFaces()).hasSize(6);
            });
            assertThat(all).extracting(DetectionEvent::getFrameId).doesNotHaveDuplicates().hasSize(20);
            assertThat(outputs.deadLetters).isEmpty();

            CommandRun list = CommandRun.of(concat(new String[] {"udf", "list", "--json"}, kafka));
            assertThat(list.exitCode()).as(list.err()).isZero();
            JsonNode listed = new ObjectMapper().readTree(list.out());
            List<JsonNode> deployed = source(listed, "deployed");
            assertThat(deployed).hasSize(1);
            assertThat(deployed.get(0).get("name").asText()).isEqualTo("face-annotate");
            assertThat(deployed.get(0).get("version").asText()).isEqualTo("2");
            assertThat(deployed.get(0).get("sha256").asText()).isEqualTo(sha256(version2));
            assertThat(deployed.get(0).get("size").asInt()).isEqualTo(version2.length);
            assertThat(source(listed, "bundled")).extracting(udf -> udf.get("name").asText() + " "
                    + udf.get("active").asBoolean()).containsExactlyInAnyOrder("crowd-alert true", "face-annotate false",
                    "face-blur true", "frame-sampler true");

            // A record whose bytes do not match its sha256 (not written by udf deploy) is refused by the processor.
            new UdfDeploymentTopic(cluster.bootstrapServers(), TOPICS.udfs(), cluster.serdes()).deploy(
                    UdfDeploymentRecord.newBuilder().setName("face-annotate").setVersion("3")
                            .setSha256(sha256(bundled)).setModule(ByteBuffer.wrap(version2)).setConfigJson("{}")
                            .setDeployedAt(Instant.now()).build(), 1024 * 1024);
            awaitLog("refused (HASH_MISMATCH), the running version stays");
            ingest(kafka, "refused", 2);
            assertThat(outputs.await(22).subList(20, 22)).allSatisfy(event ->
                    assertThat(event.getUdf().getSha256()).isEqualTo(sha256(version2)));

            CommandRun remove = CommandRun.of(concat(new String[] {"udf", "remove", "face-annotate"}, kafka));
            assertThat(remove.exitCode()).as(remove.err()).isZero();
            awaitLog("UDF face-annotate removed; running bundled");
            ingest(kafka, "removed", 2);
            List<DetectionEvent> afterRemove = outputs.await(24).subList(22, 24);
            assertThat(afterRemove).allSatisfy(event ->
                    assertThat(event.getUdf().getSha256()).isEqualTo(sha256(bundled)));
            CommandRun empty = CommandRun.of(concat(new String[] {"udf", "list", "--json"}, kafka));
            assertThat(source(new ObjectMapper().readTree(empty.out()), "deployed")).isEmpty();
        }
    }

    @Test
    void aProcessorWithTrustedKeysRunsOnlyDeploymentsTheySignedAndCountsTheRefusals() throws Exception {
        byte[] bundled = faceAnnotateWasm();
        Path unsignedBefore = Files.write(tmp.resolve("v1.wasm"), withCustomSection(bundled, "sightline-test", "v1"));
        byte[] version2 = withCustomSection(bundled, "sightline-test", "version 2");
        Path signed = Files.write(tmp.resolve("v2.wasm"), version2);
        byte[] version3 = withCustomSection(bundled, "sightline-test", "version 3");
        Path other = Files.write(tmp.resolve("v3.wasm"), version3);
        Path trusted = Files.createDirectories(tmp.resolve("trusted"));
        Path mallory = Files.createDirectories(tmp.resolve("mallory"));
        assertThat(CommandRun.of("udf", "keygen", "alice", "--out", trusted.toString()).exitCode()).isZero();
        CommandRun keygen = CommandRun.of("udf", "keygen", "alice", "--out", mallory.toString());
        assertThat(keygen.out()).startsWith("wrote " + mallory.resolve("alice.key"));
        assertThat(Files.getPosixFilePermissions(trusted.resolve("alice.key"))).hasSize(2);
        Path aliceKey = Files.move(trusted.resolve("alice.key"), tmp.resolve("alice.key"));
        URI metrics = Scrapes.metricsUrl(Scrapes.freePort());
        try (LocalCluster cluster = LocalCluster.start(EmbeddedKafkaConfig.defaults(), 0, TOPICS, 1);
                ProcessorOutputs outputs = new ProcessorOutputs(cluster, TOPICS)) {
            String[] kafka = {"--bootstrap-servers", cluster.bootstrapServers(), "--registry-url",
                    cluster.registryUrl().toString(), "--topic-prefix", PREFIX};
            // Unsigned, written before the processor starts: refused when it catches up, the bundled UDF runs.
            deploy(kafka, "face-annotate", unsignedBefore.toString(), "--version", "1");
            processor = startProcessor(cluster, "--trusted-keys", trusted.toString(),
                    "--metrics-port", String.valueOf(metrics.getPort()));
            awaitLog("refused (UNSIGNED)");
            ingest(kafka, "bundled", 2);
            assertThat(outputs.await(2)).allSatisfy(event ->
                    assertThat(event.getUdf().getSha256()).isEqualTo(sha256(bundled)));

            CommandRun deploy = deploy(kafka, "face-annotate", signed.toString(), "--version", "2",
                    "--sign", aliceKey.toString());
            assertThat(deploy.out()).contains("signed by alice");
            awaitLog("UDF face-annotate switched to face-annotate@2");
            assertThat(Files.readString(tmp.resolve("processor.log"))).contains("is signed by trusted key alice");
            var topic = new UdfDeploymentTopic(cluster.bootstrapServers(), TOPICS.udfs(), cluster.serdes());
            UdfDeploymentRecord aliceSigned = topic.deployments().get("face-annotate");
            ingest(kafka, "signed", 2);
            assertThat(outputs.await(4).subList(2, 4)).allSatisfy(event ->
                    assertThat(event.getUdf().getSha256()).isEqualTo(sha256(version2)));

            // Another key under the same signer name; alice's signature moved onto another module; no signature.
            deploy(kafka, "face-annotate", other.toString(), "--version", "3", "--sign",
                    mallory.resolve("alice.key").toString());
            deploy(kafka, "face-annotate", signed.toString(), "--version", "2");
            topic.deploy(UdfDeploymentRecord.newBuilder(aliceSigned).setVersion("2")
                    .setModule(ByteBuffer.wrap(version3)).setSha256(sha256(version3)).build(), 1024 * 1024);
            awaitRefusals(metrics, "UNTRUSTED_SIGNATURE", 2);
            awaitRefusals(metrics, "UNSIGNED", 2);
            ingest(kafka, "kept", 2);
            assertThat(outputs.await(6).subList(4, 6)).allSatisfy(event ->
                    assertThat(event.getUdf().getSha256()).isEqualTo(sha256(version2)));
            String scraped = Scrapes.scrape(metrics);
            assertThat(Scrapes.sum(scraped, REFUSED + "UNTRUSTED_SIGNATURE\"")).isEqualTo(2);
            assertThat(Scrapes.sum(scraped, REFUSED + "UNSIGNED\"")).isEqualTo(2);
            assertThat(outputs.await(6)).extracting(DetectionEvent::getFrameId).doesNotHaveDuplicates();
            assertThat(outputs.deadLetters).isEmpty();

            CommandRun list = CommandRun.of(concat(new String[] {"udf", "list", "--json", "--trusted-keys",
                    trusted.toString()}, kafka));
            assertThat(list.exitCode()).as(list.err()).isZero();
            JsonNode latest = source(new ObjectMapper().readTree(list.out()), "deployed").get(0);
            assertThat(latest.get("signer").asText()).isEqualTo("alice");
            assertThat(latest.get("trusted").asBoolean()).as("alice's signature over another module").isFalse();
            CommandRun table = CommandRun.of(concat(new String[] {"udf", "list", "--trusted-keys",
                    trusted.toString()}, kafka));
            assertThat(table.out()).contains("signed by alice (NOT trusted: processors with these keys refuse it)");

            deploy(kafka, "face-annotate", signed.toString(), "--version", "2", "--sign", aliceKey.toString());
            CommandRun trustedList = CommandRun.of(concat(new String[] {"udf", "list", "--trusted-keys",
                    trusted.toString()}, kafka));
            assertThat(trustedList.out()).contains("signed by alice (trusted key alice)");

            CommandRun noKey = CommandRun.of(concat(new String[] {"udf", "deploy", "face-annotate", signed.toString(),
                    "--sign", tmp.resolve("missing.key").toString()}, kafka));
            assertThat(noKey.exitCode()).isEqualTo(2);
            assertThat(noKey.err().lines().toList()).singleElement().asString().contains("missing.key");
        }
    }

    private CommandRun deploy(String[] kafka, String... args) {
        CommandRun run = CommandRun.of(concat(concat(new String[] {"udf", "deploy"}, args), kafka));
        assertThat(run.exitCode()).as(run.err()).isZero();
        return run;
    }

    private static void awaitRefusals(URI metrics, String reason, double count) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        String prefix = REFUSED + reason + "\"";
        while (System.nanoTime() < deadline) {
            String scraped = Scrapes.scrape(metrics);
            if (scraped != null && Scrapes.sum(scraped, prefix) >= count) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("fewer than " + count + " " + reason + " refusals counted: " + Scrapes.scrape(metrics));
    }

    @Test
    void refusesABadModuleWithOneLineAndWritesNothing() throws Exception {
        Path broken = Files.writeString(tmp.resolve("broken.wasm"), "not a module");
        try (LocalCluster cluster = LocalCluster.start(EmbeddedKafkaConfig.defaults(), 0, TOPICS, 1)) {
            String[] kafka = {"--bootstrap-servers", cluster.bootstrapServers(), "--registry-url",
                    cluster.registryUrl().toString(), "--topic-prefix", PREFIX};

            CommandRun deploy = CommandRun.of(concat(new String[] {"udf", "deploy", "face-annotate",
                    broken.toString()}, kafka));

            assertThat(deploy.exitCode()).isEqualTo(2);
            assertThat(deploy.err().lines().toList()).singleElement().asString()
                    .startsWith("sightline udf deploy: ").contains("face-annotate");
            CommandRun list = CommandRun.of(concat(new String[] {"udf", "list", "--json"}, kafka));
            assertThat(source(new ObjectMapper().readTree(list.out()), "deployed")).isEmpty();
        }
    }

    @Test
    void listsTheBundledUdfsWithoutACluster() throws Exception {
        CommandRun list = CommandRun.of("udf", "list", "--json");

        assertThat(list.exitCode()).as(list.err()).isZero();
        List<JsonNode> bundled = source(new ObjectMapper().readTree(list.out()), "bundled");
        assertThat(bundled).extracting(udf -> udf.get("name").asText())
                .containsExactly("crowd-alert", "face-annotate", "face-blur", "frame-sampler");
        byte[] faceAnnotate = UdfDeployTest.class.getResourceAsStream("/io/sightline/udf/bundled/face-annotate.wasm")
                .readAllBytes();
        assertThat(bundled.get(1).get("sha256").asText()).isEqualTo(sha256(faceAnnotate));
        assertThat(bundled.get(1).get("size").asInt()).isEqualTo(faceAnnotate.length);
        assertThat(bundled).allSatisfy(udf -> {
            assertThat(udf.get("version").asText()).isNotBlank();
            assertThat(udf.get("description").asText()).isNotBlank();
        });

        CommandRun table = CommandRun.of("udf", "list");
        assertThat(table.out()).contains("face-annotate    bundled").contains("bundled only");
    }

    private static List<JsonNode> source(JsonNode listed, String source) {
        List<JsonNode> rows = new ArrayList<>();
        listed.forEach(row -> {
            if (source.equals(row.get("source").asText())) {
                rows.add(row);
            }
        });
        return rows;
    }

    private void ingest(String[] kafka, String batch, int frames) throws Exception {
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
            return CommandRun.of(concat(new String[] {"ingest", dir.toString(), "--camera", "door"}, kafka));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private Process startProcessor(LocalCluster cluster, String... more) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        var command = new ArrayList<>(List.of(java, "-Xmx1g", "-cp", System.getProperty("java.class.path"),
                Sightline.class.getName(), "process", "--udf", "face-annotate",
                "--bootstrap-servers", cluster.bootstrapServers(), "--registry-url", cluster.registryUrl().toString(),
                "--topic-prefix", PREFIX, "--application-id", "swap-processor",
                "--assets", CommandRun.assets().toString()));
        command.addAll(List.of(more));
        return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(tmp.resolve("processor.log").toFile()).start();
    }

    private void awaitLog(String text) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.readString(tmp.resolve("processor.log")).contains(text)) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the processor never logged '" + text + "':\n"
                + Files.readString(tmp.resolve("processor.log")));
    }

    private static int indexOfFirst(List<DetectionEvent> events, String sha256) {
        for (int i = 0; i < events.size(); i++) {
            if (events.get(i).getUdf().getSha256().equals(sha256)) {
                return i;
            }
        }
        return -1;
    }

    private static String[] concat(String[] first, String[] second) {
        List<String> all = new ArrayList<>(List.of(first));
        all.addAll(List.of(second));
        return all.toArray(String[]::new);
    }
}
