package io.sightline.app;

import static org.apache.kafka.common.acl.AclOperation.ALL;
import static org.apache.kafka.common.acl.AclOperation.DESCRIBE;
import static org.apache.kafka.common.acl.AclOperation.DESCRIBE_CONFIGS;
import static org.apache.kafka.common.acl.AclOperation.IDEMPOTENT_WRITE;
import static org.apache.kafka.common.acl.AclOperation.READ;
import static org.apache.kafka.common.acl.AclOperation.WRITE;
import static org.apache.kafka.common.resource.PatternType.LITERAL;
import static org.apache.kafka.common.resource.PatternType.PREFIXED;
import static org.apache.kafka.common.resource.ResourceType.CLUSTER;
import static org.apache.kafka.common.resource.ResourceType.GROUP;
import static org.apache.kafka.common.resource.ResourceType.TOPIC;
import static org.apache.kafka.common.resource.ResourceType.TRANSACTIONAL_ID;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sightline.schemas.SchemaRegistryClient;
import io.sightline.schemas.Topics;
import io.sightline.schemas.avro.DetectionEvent;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.time.Duration;
import java.util.regex.Pattern;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every command against a secured cluster, each as a principal with only the ACLs it needs: the camera writes frames
 * over mutual TLS, the processor (SCRAM-SHA-512) runs with read-only rights on the frames topic, CI deploys a UDF
 * (PLAIN) while a viewer may only list them, wrong credentials and missing ACLs are one line and exit code 2.
 */
class SecuredClusterTest {

    private static final String PREFIX = "secure";
    private static final Topics TOPICS = Topics.withPrefix(PREFIX);
    private static final String APP = "secure-processor";

    @TempDir
    Path tmp;

    private final List<Process> processes = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (Process process : processes) {
            SightlineProcess.stop(process);
        }
    }

    @Test
    void eachCommandRunsAsItsPrincipalWithTheAclsItNeedsAndNoMore() throws Exception {
        try (SecuredCluster secured = SecuredCluster.start(tmp, TOPICS,
                Map.of("ci", "ci-secret", "viewer", "viewer-secret"));
                ProcessorOutputs outputs = new ProcessorOutputs(secured.cluster, TOPICS)) {
            String registry = secured.cluster.registryUrl().toString();
            secured.scramUser("processor", "processor-secret");
            String camera = "User:CN=camera";
            for (String topic : List.of(TOPICS.frames(), TOPICS.deadLetters())) {
                secured.allow(camera, TOPIC, topic, LITERAL, WRITE, DESCRIBE);
            }
            // Every command reads the record limit of Sightline's topics at start.
            for (String principal : List.of(camera, "User:processor", "User:viewer", "User:ci")) {
                secured.allow(principal, TOPIC, PREFIX + ".", PREFIXED, DESCRIBE_CONFIGS);
            }
            secured.allow("User:processor", TOPIC, TOPICS.frames(), LITERAL, READ, DESCRIBE);
            for (String topic : List.of(TOPICS.udfs(), TOPICS.models())) {
                secured.allow("User:processor", TOPIC, topic, LITERAL, READ, DESCRIBE);
                secured.allow("User:ci", TOPIC, topic, LITERAL, ALL);
            }
            for (String topic : List.of(TOPICS.detections(), TOPICS.annotated(), TOPICS.deadLetters(),
                    TOPICS.tracks())) {
                secured.allow("User:processor", TOPIC, topic, LITERAL, WRITE, DESCRIBE);
            }
            secured.allow("User:processor", TOPIC, APP, PREFIXED, ALL);
            secured.allow("User:processor", GROUP, APP, PREFIXED, ALL);
            secured.allow("User:viewer", TOPIC, TOPICS.udfs(), LITERAL, READ, DESCRIBE);

            Path module = Files.write(tmp.resolve("face-annotate-2.wasm"),
                    TestModules.withCustomSection(TestModules.faceAnnotateWasm(), "sightline-test", "v2"));
            CommandRun denied = run(secured.sasl("PLAIN", "viewer", "viewer-secret"), registry,
                    "udf", "deploy", "face-annotate", module.toString(), "--version", "2");
            assertThat(denied.exitCode()).isEqualTo(2);
            assertThat(denied.err().lines().toList()).singleElement().asString()
                    .contains("may not WRITE to topic " + TOPICS.udfs());
            CommandRun deployed = run(secured.sasl("PLAIN", "ci", "ci-secret"), registry,
                    "udf", "deploy", "face-annotate", module.toString(), "--version", "2");
            assertThat(deployed.exitCode()).as(deployed.err()).isZero();
            CommandRun listed = run(secured.sasl("PLAIN", "viewer", "viewer-secret"), registry,
                    "udf", "list", "--json");
            assertThat(listed.exitCode()).as(listed.err()).isZero();
            assertThat(deployedVersions(listed.out())).containsExactly("2");
            CommandRun wrongPassword = run(secured.sasl("PLAIN", "viewer", "guess"), registry, "udf", "list");
            assertThat(wrongPassword.exitCode()).isEqualTo(2);
            assertThat(wrongPassword.err().lines().toList()).singleElement().asString()
                    .contains("refused this client's credentials").doesNotContain("guess");

            startProcessor(secured.sasl("SCRAM-SHA-512", "processor", "processor-secret"), registry);
            Path frames = Files.createDirectories(tmp.resolve("frames"));
            for (int i = 0; i < 3; i++) {
                Files.copy(CommandRun.assets().resolve("images/tf-mtcnn-test.jpg"), frames.resolve("f-" + i + ".jpg"));
            }
            CommandRun ingest = run(secured.mtls(), registry, "ingest", frames.toString(), "--camera", "door");
            assertThat(ingest.exitCode()).as(ingest.err()).isZero();
            List<DetectionEvent> events = outputs.await(3);
            assertThat(events).allSatisfy(event -> {
                assertThat(event.getUdf().getVersion()).isEqualTo("2");
                assertThat(event.getFaces()).hasSize(6);
            });
            assertThat(outputs.deadLetters).isEmpty();
        }
    }

    @Test
    void theRegistryModelsReplayAndDashboardRunOnTheSecuredClusterToo() throws Exception {
        try (SecuredCluster secured = SecuredCluster.start(tmp, TOPICS, Map.of("ci", "ci-secret", "viewer",
                "viewer-secret"))) {
            String registryUrl = secured.cluster.registryUrl().toString();
            for (String user : List.of("registry", "processor", "dashboard")) {
                secured.scramUser(user, user + "-secret");
            }
            for (String principal : List.of("User:CN=camera", "User:processor", "User:viewer", "User:ci",
                    "User:dashboard")) {
                secured.allow(principal, TOPIC, PREFIX + ".", PREFIXED, DESCRIBE_CONFIGS);
            }
            secured.allow("User:registry", TOPIC, "_schemas", LITERAL, ALL);
            secured.allow("User:registry", TRANSACTIONAL_ID, "sightline-schema-registry", LITERAL, ALL);
            secured.allow("User:ci", TOPIC, TOPICS.models(), LITERAL, ALL);
            secured.allow("User:viewer", TOPIC, TOPICS.models(), LITERAL, READ, DESCRIBE);
            secured.allow("User:CN=camera", TOPIC, TOPICS.frames(), LITERAL, WRITE, DESCRIBE);
            secured.allow("User:CN=camera", TOPIC, TOPICS.deadLetters(), LITERAL, WRITE, DESCRIBE);
            for (String topic : List.of(TOPICS.frames(), TOPICS.udfs(), TOPICS.models())) {
                secured.allow("User:processor", TOPIC, topic, LITERAL, READ, DESCRIBE);
            }
            // A replay checks the live topics it mirrors, and writes only its own.
            for (String topic : List.of(TOPICS.detections(), TOPICS.annotated(), TOPICS.deadLetters(),
                    TOPICS.tracks())) {
                secured.allow("User:processor", TOPIC, topic, LITERAL, DESCRIBE);
            }
            Topics replay = TOPICS.forReplay("r1");
            for (String topic : List.of(replay.detections(), replay.annotated(), replay.deadLetters(),
                    replay.tracks())) {
                secured.allow("User:processor", TOPIC, topic, LITERAL, ALL);
            }
            secured.allow("User:processor", TOPIC, "sightline-replay-r1", PREFIXED, ALL);
            secured.allow("User:processor", GROUP, "sightline-replay-r1", PREFIXED, ALL);
            for (String topic : List.of(TOPICS.detections(), TOPICS.annotated(), TOPICS.deadLetters())) {
                secured.allow("User:dashboard", TOPIC, topic, LITERAL, READ, DESCRIBE);
            }
            for (String topic : List.of(TOPICS.alerts(), TOPICS.stats())) {
                secured.allow("User:dashboard", TOPIC, topic, LITERAL, ALL);
            }
            secured.allow("User:dashboard", TOPIC, "sightline-dashboard", PREFIXED, ALL);
            secured.allow("User:dashboard", GROUP, "sightline-dashboard", PREFIXED, ALL);

            // The registry keeps its state in _schemas on the secured cluster.
            List<String> registry = new ArrayList<>(List.of("registry", "--port", "0", "--json"));
            registry.addAll(secured.sasl("SCRAM-SHA-512", "registry", "registry-secret"));
            Process registryProcess = start(registry, "registry.log");
            var securedRegistry = SchemaRegistryClient.forUrls(SightlineProcess.await(registryProcess,
                    tmp.resolve("registry.log"), Pattern.compile("\"registryUrl\":\"([^\"]+)\"")));
            var probe = SchemaBuilder.record("Probe").fields().requiredInt("n").endRecord();
            assertThat(securedRegistry.schemaById(securedRegistry.register("probe-value", probe))).isEqualTo(probe);

            CommandRun activated = CommandRun.of(concat(List.of("models", "activate",
                    "mtcnn@tf-mtcnn-b7ffa19-strict", "--topic-prefix", PREFIX), secured.sasl("PLAIN", "ci", "ci-secret")));
            assertThat(activated.exitCode()).as(activated.err()).isZero();
            CommandRun models = CommandRun.of(concat(List.of("models", "list", "--json", "--topic-prefix", PREFIX),
                    secured.sasl("PLAIN", "viewer", "viewer-secret")));
            assertThat(models.exitCode()).as(models.err()).isZero();
            assertThat(models.out()).contains("tf-mtcnn-b7ffa19-strict");

            Path frames = Files.createDirectories(tmp.resolve("frames"));
            for (int i = 0; i < 2; i++) {
                Files.copy(CommandRun.assets().resolve("images/tf-mtcnn-test.jpg"), frames.resolve("f-" + i + ".jpg"));
            }
            assertThat(run(secured.mtls(), registryUrl, "ingest", frames.toString(), "--camera", "door").exitCode())
                    .isZero();
            CommandRun replayed = run(secured.sasl("SCRAM-SHA-512", "processor", "processor-secret"), registryUrl,
                    "replay", "range", "--from", "2000-01-01T00:00:00Z", "--to", "2100-01-01T00:00:00Z", "--id", "r1",
                    "--json", "--assets", CommandRun.assets().toString());
            assertThat(replayed.exitCode()).as(replayed.err()).isZero();
            JsonNode summary = new ObjectMapper().readTree(replayed.out());
            assertThat(summary.get("replayed").asInt()).isEqualTo(2);
            assertThat(summary.get("model").asText()).isEqualTo("mtcnn@tf-mtcnn-b7ffa19-strict");

            List<String> dashboard = new ArrayList<>(List.of("dashboard", "--port", "0", "--registry-url",
                    registryUrl, "--topic-prefix", PREFIX));
            dashboard.addAll(secured.sasl("SCRAM-SHA-512", "dashboard", "dashboard-secret"));
            Process dashboardProcess = start(dashboard, "dashboard.log");
            URI page = URI.create(SightlineProcess.await(dashboardProcess, tmp.resolve("dashboard.log"),
                    Pattern.compile("Dashboard at (http://\\S+)")));
            HttpResponse<String> health = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(page.resolve("/api/health")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(new ObjectMapper().readTree(health.body()).get("streamsState").asText()).isEqualTo("RUNNING");
        }
    }

    @Test
    void anEdgeSiteForwardsToASecuredCentreAndFollowsItsDeploymentsOverTheSameLink() throws Exception {
        Topics central = Topics.withPrefix(Topics.DEFAULT_PREFIX);
        String remote = "edge1." + central.detections();
        try (SecuredCluster secured = SecuredCluster.start(tmp, central, Map.of("ci", "ci-secret"))) {
            secured.scramUser("edge", "edge-secret");
            // The site's rights at the centre: its forwarded topics and MirrorMaker's own, read the control topics.
            secured.allow("User:edge", TOPIC, "edge1.", PREFIXED, ALL);
            secured.allow("User:edge", TOPIC, "mm2-", PREFIXED, ALL);
            for (String topic : List.of(central.udfs(), central.models())) {
                secured.allow("User:edge", TOPIC, topic, LITERAL, READ, DESCRIBE, DESCRIBE_CONFIGS);
                secured.allow("User:ci", TOPIC, topic, LITERAL, ALL);
            }
            secured.allow("User:ci", TOPIC, Topics.DEFAULT_PREFIX + ".", PREFIXED, DESCRIBE_CONFIGS);
            secured.allow("User:edge", GROUP, "*", LITERAL, ALL);
            secured.allow("User:edge", TRANSACTIONAL_ID, "*", LITERAL, ALL);
            secured.allow("User:edge", CLUSTER, "kafka-cluster", LITERAL, DESCRIBE, DESCRIBE_CONFIGS,
                    IDEMPOTENT_WRITE);
            Path lobby = Files.createDirectories(tmp.resolve("cameras/lobby"));
            for (int i = 0; i < 2; i++) {
                Files.copy(CommandRun.assets().resolve("images/tf-mtcnn-test.jpg"), lobby.resolve("f-" + i + ".jpg"));
            }
            String registryUrl = secured.cluster.registryUrl().toString();
            List<String> edge = new ArrayList<>(List.of("edge", "--site", "edge1", "--central-bootstrap",
                    secured.saslBootstrap, "--central-registry", registryUrl, "--input", tmp.resolve("cameras")
                    .toString(), "--port", "0", "--registry-port", "0", "--data-dir", tmp.resolve("edge").toString(),
                    "--fps", "2", "--assets", CommandRun.assets().toString()));
            edge.addAll(secured.saslSecurity("SCRAM-SHA-512", "edge", "edge-secret"));
            start(edge, "edge.log");
            var events = secured.cluster.serdes().deserializer(DetectionEvent.class);

            byte[] first = TopicRecords.firstValue(secured.cluster.bootstrapServers(), remote, record -> true,
                    Duration.ofSeconds(240));
            assertThat(events.deserialize(remote, first).getCameraId()).isEqualTo("lobby");

            Path module = Files.write(tmp.resolve("face-annotate-3.wasm"),
                    TestModules.withCustomSection(TestModules.faceAnnotateWasm(), "sightline-test", "v3"));
            CommandRun deployed = CommandRun.of(concat(List.of("udf", "deploy", "face-annotate", module.toString(),
                    "--version", "3", "--registry-url", registryUrl), secured.sasl("PLAIN", "ci", "ci-secret")));
            assertThat(deployed.exitCode()).as(deployed.err()).isZero();
            byte[] fromV3 = TopicRecords.firstValue(secured.cluster.bootstrapServers(), remote,
                    record -> "3".equals(events.deserialize(remote, record.value()).getUdf().getVersion()),
                    Duration.ofSeconds(180));
            assertThat(events.deserialize(remote, fromV3).getFaces()).hasSize(6);
        }
    }

    private Process start(List<String> args, String log) throws Exception {
        Process process = SightlineProcess.start(List.of("-Xmx512m"), args, tmp.resolve(log));
        processes.add(process);
        return process;
    }

    private static String[] concat(List<String> first, List<String> second) {
        List<String> all = new ArrayList<>(first);
        all.addAll(second);
        return all.toArray(String[]::new);
    }

    private static List<String> deployedVersions(String json) throws Exception {
        List<String> versions = new ArrayList<>();
        for (JsonNode row : new ObjectMapper().readTree(json)) {
            if (row.get("source").asText().equals("deployed")) {
                versions.add(row.get("version").asText());
            }
        }
        return versions;
    }

    private static CommandRun run(List<String> kafka, String registry, String... command) {
        List<String> args = new ArrayList<>(List.of(command));
        args.addAll(kafka);
        args.addAll(List.of("--registry-url", registry, "--topic-prefix", PREFIX));
        return CommandRun.of(args.toArray(String[]::new));
    }

    private void startProcessor(List<String> kafka, String registry) throws Exception {
        List<String> args = new ArrayList<>(List.of("process", "--udf", "face-annotate", "--registry-url", registry,
                "--topic-prefix", PREFIX, "--application-id", APP, "--threads", "1",
                "--assets", CommandRun.assets().toString()));
        args.addAll(kafka);
        processes.add(SightlineProcess.start(List.of("-Xmx1g"), args, tmp.resolve("processor.log")));
    }
}
