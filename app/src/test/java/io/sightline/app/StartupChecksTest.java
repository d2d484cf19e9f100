package io.sightline.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.sightline.cluster.EmbeddedKafka;
import io.sightline.cluster.EmbeddedKafkaConfig;
import io.sightline.schemas.EmbeddedSchemaRegistry;
import io.sightline.schemas.Topics;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
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
                + "within 2 s: check --bootstrap-servers, "
                + "--kafka-security-protocol (a TLS or SASL listener does not answer plain text) and that the cluster "
                + "is running");
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
    void processAndIngestRefuseATopicThatKeepsRecordsByTheTimeTheirProducerStamps() throws Exception {
        Topics topics = createTopics("create-time");
        try (Admin admin = admin()) {
            var frames = new ConfigResource(ConfigResource.Type.TOPIC, topics.frames());
            admin.incrementalAlterConfigs(Map.of(frames, List.of(new AlterConfigOp(new ConfigEntry(
                    TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, "CreateTime"), AlterConfigOp.OpType.SET))))
                    .all().get(30, TimeUnit.SECONDS);
        }
        String[] cluster = {"--bootstrap-servers", kafka.bootstrapServers(), "--registry-url",
                registry.url().toString(), "--topic-prefix", "create-time", "--assets", CommandRun.assets().toString()};
        String expected = "topic create-time.frames has message.timestamp.type=CreateTime: the broker would delete "
                + "its records by, and refuse them for, the time their producer stamps (a camera's capture time, a "
                + "year back or hours ahead), not when they were written; fix: kafka-configs.sh --bootstrap-server "
                + kafka.bootstrapServers() + " --alter --entity-type topics --entity-name create-time.frames "
                + "--add-config message.timestamp.type=LogAppendTime";

        CommandRun process = CommandRun.of(concat(new String[] {"process"}, cluster));
        CommandRun ingest = CommandRun.of(concat(new String[] {"ingest", "dir",
                CommandRun.assets().resolve("images").toString()}, cluster));

        assertThat(process.exitCode()).as(process.err()).isEqualTo(2);
        assertThat(process.err().strip()).isEqualTo("sightline process: " + expected);
        assertThat(ingest.exitCode()).as(ingest.err()).isEqualTo(2);
        assertThat(ingest.err().strip()).isEqualTo("sightline ingest dir: " + expected);
        try (Admin admin = admin()) {
            long written = admin.listOffsets(Map.of(new TopicPartition(topics.frames(), 0), OffsetSpec.latest()))
                    .all().get(30, TimeUnit.SECONDS).values().iterator().next().offset();
            assertThat(written).as("nothing published to the refused topic").isZero();
        }
    }

    @Test
    void topicsSightlineCreatesKeepRecordsByWriteTime() throws Exception {
        Topics topics = createTopics("write-time");
        try (Admin admin = admin()) {
            var resources = topics.all().stream()
                    .map(topic -> new ConfigResource(ConfigResource.Type.TOPIC, topic)).toList();
            var configs = admin.describeConfigs(resources).all().get(30, TimeUnit.SECONDS);
            assertThat(configs.values()).hasSize(4).allSatisfy(config ->
                    assertThat(config.get(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG).value()).isEqualTo("LogAppendTime"));
        }
    }

    private static String[] concat(String[] first, String[] second) {
        String[] all = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, all, first.length, second.length);
        return all;
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
                // Stable: the processor has its partitions (and its internal topics) and is running.
                if (groups.stream().anyMatch(group -> group.groupId().equals(groupId)
                        && group.groupState().filter(state -> state == GroupState.STABLE).isPresent())) {
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
