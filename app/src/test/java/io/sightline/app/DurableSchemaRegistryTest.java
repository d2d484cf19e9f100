package io.sightline.app;

import static io.sightline.app.RegistryHttp.ok;
import static io.sightline.app.RegistryHttp.register;
import static org.assertj.core.api.Assertions.assertThat;

import io.sightline.cluster.EmbeddedKafka;
import io.sightline.cluster.EmbeddedKafkaConfig;
import io.sightline.schemas.EmbeddedSchemaRegistry;
import io.sightline.schemas.RegistryConfig;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The registry's state lives in the broker's compacted _schemas topic: it survives restarts and is shared. */
class DurableSchemaRegistryTest {

    @TempDir
    Path dataDir;

    @Test
    void idsSubjectsVersionsAndLevelsSurviveABrokerAndRegistryRestart() {
        EmbeddedKafkaConfig kafkaConfig = EmbeddedKafkaConfig.defaults().withDataDir(dataDir);
        int userV1;
        int userV2;
        int order;
        try (EmbeddedKafka kafka = EmbeddedKafka.start(kafkaConfig);
             EmbeddedSchemaRegistry registry = startRegistry(kafka)) {
            URI url = registry.url();
            userV1 = register(url, "users-value", user(""));
            userV2 = register(url, "users-value", user(",{\"name\":\"age\",\"type\":[\"null\",\"int\"],\"default\":null}"));
            order = register(url, "orders-value", "{\"type\":\"record\",\"name\":\"Order\",\"fields\":[]}");
            assertThat(RegistryHttp.put(url, "/config", "{\"compatibility\":\"FULL\"}").status()).isEqualTo(200);
            assertThat(RegistryHttp.put(url, "/config/orders-value", "{\"compatibility\":\"NONE\"}").status())
                    .isEqualTo(200);
        }

        try (EmbeddedKafka kafka = EmbeddedKafka.start(kafkaConfig);
             EmbeddedSchemaRegistry registry = startRegistry(kafka)) {
            URI url = registry.url();
            System.out.printf("registry rebuilt from _schemas in %d ms%n", registry.startupTime().toMillis());
            assertThat(List.of(userV1, userV2, order)).containsExactly(1, 2, 3);
            assertThat(ok(url, "/subjects")).hasToString("[\"orders-value\",\"users-value\"]");
            assertThat(ok(url, "/subjects/users-value/versions")).hasToString("[1,2]");
            assertThat(ok(url, "/subjects/users-value/versions/latest").get("id").asInt()).isEqualTo(userV2);
            assertThat(ok(url, "/schemas/ids/" + userV1).get("schema").asText()).contains("\"User\"");
            assertThat(ok(url, "/config")).hasToString("{\"compatibilityLevel\":\"FULL\"}");
            assertThat(ok(url, "/config/orders-value")).hasToString("{\"compatibilityLevel\":\"NONE\"}");
            assertThat(register(url, "users-value", user(""))).as("known schema keeps its id").isEqualTo(userV1);
            assertThat(register(url, "events-value", "\"string\"")).as("next id continues").isEqualTo(4);
        }
    }

    @Test
    void twoInstancesOnOneClusterHandOutDistinctIdsAndServeEachOthersSchemas() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(EmbeddedKafkaConfig.defaults());
             EmbeddedSchemaRegistry first = startRegistry(kafka);
             EmbeddedSchemaRegistry second = startRegistry(kafka)) {
            int perInstance = 8;
            ExecutorService writers = Executors.newFixedThreadPool(2);
            try {
                Future<List<Integer>> fromFirst = writers.submit(registerMany(first.url(), "a", perInstance));
                Future<List<Integer>> fromSecond = writers.submit(registerMany(second.url(), "b", perInstance));
                List<Integer> ids = new ArrayList<>(fromFirst.get());
                ids.addAll(fromSecond.get());

                assertThat(new HashSet<>(ids)).as("ids handed out by both instances").hasSize(2 * perInstance);
                for (int i = 0; i < perInstance; i++) {
                    int idOfB = fromSecond.get().get(i);
                    int idOfA = fromFirst.get().get(i);
                    assertThat(ok(first.url(), "/schemas/ids/" + idOfB).get("schema").asText()).contains("B" + i);
                    assertThat(ok(second.url(), "/schemas/ids/" + idOfA).get("schema").asText()).contains("A" + i);
                }
                // The same schema registered through either instance gets the one id.
                String shared = "{\"type\":\"record\",\"name\":\"Shared\",\"fields\":[]}";
                assertThat(register(second.url(), "shared-value", shared))
                        .isEqualTo(register(first.url(), "shared-value", shared));
                awaitSubjects(second.url(), 2 * perInstance + 1);
                assertThat(ok(first.url(), "/subjects")).isEqualTo(ok(second.url(), "/subjects"));
            } finally {
                writers.shutdownNow();
            }
        }
    }

    @Test
    void aWriterFencedByAnotherInstanceReadsTheOthersWritesBeforeItsNextId() {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(EmbeddedKafkaConfig.defaults());
             EmbeddedSchemaRegistry first = startRegistry(kafka);
             EmbeddedSchemaRegistry second = startRegistry(kafka)) {
            assertThat(register(first.url(), "x-value", "\"int\"")).isEqualTo(1);
            assertThat(register(second.url(), "y-value", "\"long\"")).isEqualTo(2);
            assertThat(register(first.url(), "z-value", "\"float\"")).isEqualTo(3);
            assertThat(register(second.url(), "x-value", "\"int\"")).as("already registered through first").isEqualTo(1);
            assertThat(ok(second.url(), "/subjects/x-value/versions")).hasToString("[1]");
        }
    }

    @Test
    void withKafkaGoneKnownSchemasAreStillServedAndWritesFailAsAStoreErrorWithinTheTimeout() {
        EmbeddedKafka kafka = EmbeddedKafka.start(EmbeddedKafkaConfig.defaults());
        RegistryConfig config = RegistryConfig.onKafka(kafka.bootstrapServers()).withKafkaTimeout(Duration.ofSeconds(3));
        try (EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.start(config)) {
            int id = register(registry.url(), "users-value", user(""));
            kafka.close();
            long start = System.nanoTime();

            RegistryHttp.Answer refused = RegistryHttp.put(registry.url(), "/config", "{\"compatibility\":\"NONE\"}");

            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
            assertThat(refused.status()).isEqualTo(500);
            assertThat(refused.body().get("error_code").asInt()).isEqualTo(50001);
            assertThat(ok(registry.url(), "/schemas/ids/" + id).get("schema").asText()).contains("User");
        } finally {
            kafka.close();
        }
    }

    @Test
    void journalIsACompactedSinglePartitionTopicInConfluentsLayoutAndForeignEntriesAreSkipped() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(EmbeddedKafkaConfig.defaults())) {
            kafka.createTopics(Map.of("_schemas", 1));
            produce(kafka, "{\"keytype\":\"NOOP\",\"magic\":0}", null);
            produce(kafka, "not json at all", "{}");
            try (EmbeddedSchemaRegistry registry = startRegistry(kafka)) {
                assertThat(register(registry.url(), "users-value", user(""))).isEqualTo(1);
            }

            List<ConsumerRecord<String, String>> records = readAll(kafka);
            assertThat(records).last().satisfies(record -> {
                assertThat(record.key())
                        .isEqualTo("{\"keytype\":\"SCHEMA\",\"subject\":\"users-value\",\"version\":1,\"magic\":1}");
                assertThat(record.value()).startsWith("{\"subject\":\"users-value\",\"version\":1,\"id\":1,\"schema\":")
                        .endsWith(",\"deleted\":false}");
            });
        }
        try (EmbeddedKafka kafka = EmbeddedKafka.start(EmbeddedKafkaConfig.defaults());
             EmbeddedSchemaRegistry registry = startRegistry(kafka);
             Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            TopicDescription topic = admin.describeTopics(List.of("_schemas")).allTopicNames().get().get("_schemas");
            var resource = new ConfigResource(ConfigResource.Type.TOPIC, "_schemas");
            var config = admin.describeConfigs(List.of(resource)).all().get().get(resource);
            assertThat(topic.partitions()).hasSize(1);
            assertThat(config.get("cleanup.policy").value()).isEqualTo("compact");
        }
    }

    private static EmbeddedSchemaRegistry startRegistry(EmbeddedKafka kafka) {
        return EmbeddedSchemaRegistry.start(RegistryConfig.onKafka(kafka.bootstrapServers()));
    }

    private static Callable<List<Integer>> registerMany(URI registry, String prefix, int count) {
        return () -> {
            List<Integer> ids = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                String name = prefix.toUpperCase() + i;
                ids.add(register(registry, prefix + i + "-value",
                        "{\"type\":\"record\",\"name\":\"" + name + "\",\"fields\":[]}"));
            }
            return ids;
        };
    }

    /** Another instance's writes reach this one through its tail of the topic within a second or so. */
    private static void awaitSubjects(URI registry, int count) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (ok(registry, "/subjects").size() < count && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(ok(registry, "/subjects")).hasSize(count);
    }

    private static String user(String extraFields) {
        return "{\"type\":\"record\",\"name\":\"User\",\"fields\":[{\"name\":\"name\",\"type\":\"string\"}"
                + extraFields + "]}";
    }

    private static void produce(EmbeddedKafka kafka, String key, String value) throws Exception {
        try (var producer = new KafkaProducer<>(Map.<String, Object>of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>("_schemas", 0, key, value)).get();
        }
    }

    private static List<ConsumerRecord<String, String>> readAll(EmbeddedKafka kafka) {
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(Map.<String, Object>of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                new StringDeserializer(), new StringDeserializer())) {
            TopicPartition partition = new TopicPartition("_schemas", 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition)).get(partition);
            while (consumer.position(partition) < end) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }
}
