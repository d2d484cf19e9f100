package io.sightline.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.sightline.app.broker.EmbeddedKafka;
import io.sightline.app.broker.EmbeddedKafkaConfig;
import io.sightline.schemas.EmbeddedSchemaRegistry;
import io.sightline.schemas.Topics;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Commands that need a cluster and a registry check them at start and fail in one line, or exit when they die. */
class StartupChecksTest {

    private static final String UNREACHABLE_KAFKA = "127.0.0.1:1";
    private static final String UNREACHABLE_REGISTRY = "http://127.0.0.1:1";

    private static EmbeddedKafka kafka;
    private static EmbeddedSchemaRegistry registry;

    @BeforeAll
    static void startBroker() {
        kafka = EmbeddedKafka.start(EmbeddedKafkaConfig.defaults());
        registry = EmbeddedSchemaRegistry.start(0);
    }

    @AfterAll
    static void stopBroker() {
        registry.close();
        kafka.close();
    }

    @Test
    void processExitsWithOneLineWhenNoBrokerAnswers() {
        CommandRun run = CommandRun.of("process", "--bootstrap-servers", UNREACHABLE_KAFKA,
                "--registry-url", UNREACHABLE_REGISTRY, "--startup-timeout", "2");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err().strip()).isEqualTo("sightline process: no Kafka broker answered at 127.0.0.1:1 "
                + "within 2 s: check --bootstrap-servers and that the cluster is running");
    }

    @Test
    void ingestExitsWithOneLineWhenNoBrokerAnswers() {
        CommandRun run = CommandRun.of("ingest", CommandRun.assets().resolve("images").toString(),
                "--bootstrap-servers", UNREACHABLE_KAFKA, "--registry-url", UNREACHABLE_REGISTRY,
                "--startup-timeout", "2");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err().strip().lines()).singleElement().asString()
                .startsWith("sightline ingest dir: no Kafka broker answered at 127.0.0.1:1");
    }

    @Test
    void namesTheMissingTopic() {
        CommandRun run = CommandRun.of("ingest", CommandRun.assets().resolve("images").toString(),
                "--bootstrap-servers", kafka.bootstrapServers(), "--registry-url", registry.url().toString(),
                "--topic-prefix", "nobody-made-these");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("topic nobody-made-these.frames does not exist");
    }

    @Test
    void namesTheUnreachableRegistry() {
        createTopics("registry-check");

        CommandRun run = CommandRun.of("process", "--bootstrap-servers", kafka.bootstrapServers(),
                "--registry-url", UNREACHABLE_REGISTRY, "--topic-prefix", "registry-check");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).startsWith("sightline process: no schema registry answered at http://127.0.0.1:1");
    }

    @Test
    void processExitsNonZeroWhenTheStreamsClientDies() throws Exception {
        Topics topics = createTopics("dying");
        CompletableFuture<CommandRun> process = CompletableFuture.supplyAsync(() -> CommandRun.of("process",
                "--bootstrap-servers", kafka.bootstrapServers(), "--registry-url", registry.url().toString(),
                "--topic-prefix", "dying", "--assets", CommandRun.assets().toString(),
                "--application-id", "dying-processor"));
        awaitConsumerGroup("dying-processor");

        // Deleting the topic it reads from is fatal to a Kafka Streams client.
        try (Admin admin = admin()) {
            admin.deleteTopics(List.of(topics.frames())).all().get(30, TimeUnit.SECONDS);
        }

        CommandRun run = process.get(120, TimeUnit.SECONDS);
        try (Admin admin = admin()) {
            assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).as("process creates its control topic")
                    .contains(topics.udfs());
        }
        assertThat(run.exitCode()).as(run.err()).isEqualTo(1);
        assertThat(run.err()).contains("the stream processor stopped").contains("exiting with 1");
    }

    private static Topics createTopics(String prefix) {
        Topics topics = Topics.withPrefix(prefix);
        Map<String, Integer> partitions = new LinkedHashMap<>();
        topics.all().forEach(topic -> partitions.put(topic, 1));
        kafka.createTopics(partitions);
        return topics;
    }

    private static void awaitConsumerGroup(String groupId) throws Exception {
        try (Admin admin = admin()) {
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (System.nanoTime() < deadline) {
                var groups = admin.listGroups().all().get(10, TimeUnit.SECONDS);
                if (groups.stream().anyMatch(group -> group.groupId().equals(groupId))) {
                    return;
                }
                Thread.sleep(200);
            }
        }
        throw new AssertionError("the processor never joined its consumer group " + groupId);
    }

    private static Admin admin() {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        return Admin.create(p);
    }
}
