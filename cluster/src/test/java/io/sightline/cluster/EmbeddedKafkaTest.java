package io.sightline.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedKafkaTest {

    private static final int FOUR_MIB = 4 * 1024 * 1024;

    private static EmbeddedKafka kafka;

    @BeforeAll
    static void startBroker() {
        kafka = EmbeddedKafka.start(EmbeddedKafkaConfig.defaults());
    }

    @AfterAll
    static void stopBroker() {
        kafka.close();
    }

    @Test
    void roundTripsFourMebibyteRecordByteForByte() {
        kafka.createTopics(Map.of("frames", 1));
        byte[] frame = randomBytes(FOUR_MIB);

        produce(kafka, "frames", "cam-1", frame);

        List<ConsumerRecord<String, byte[]>> records = consumeAll(kafka, "frames", 1);
        assertThat(records).hasSize(1);
        assertThat(records.get(0).key()).isEqualTo("cam-1");
        assertThat(records.get(0).value()).isEqualTo(frame);
    }

    @Test
    void createTopicsLeavesExistingTopicsAlone() throws Exception {
        kafka.createTopics(Map.of("detections", 3));
        kafka.createTopics(Map.of("detections", 5, "dlq", 1));

        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            var topics = admin.describeTopics(List.of("detections", "dlq")).allTopicNames().get();
            assertThat(topics.get("detections").partitions()).hasSize(3);
            assertThat(topics.get("dlq").partitions()).hasSize(1);
        }
    }

    @Test
    void reportsWhereItRunsAndHowLongItTookToStart() {
        EmbeddedKafkaConfig running = kafka.config();

        assertThat(running.port()).isPositive();
        assertThat(running.controllerPort()).isPositive().isNotEqualTo(running.port());
        assertThat(kafka.bootstrapServers()).isEqualTo("127.0.0.1:" + running.port());
        assertThat(running.dataDir()).isDirectory();
        assertThat(kafka.clusterId()).isNotBlank();
        assertThat(kafka.startupTime()).isPositive();
    }

    @Test
    void secondBrokerRunsAlongsideAndCloseFreesItsPortAndDataDir() throws IOException {
        EmbeddedKafka second = EmbeddedKafka.start(EmbeddedKafkaConfig.defaults());
        EmbeddedKafkaConfig running = second.config();
        try {
            assertThat(second.bootstrapServers()).isNotEqualTo(kafka.bootstrapServers());
            assertThat(second.clusterId()).isNotEqualTo(kafka.clusterId());
            second.createTopics(Map.of("only-on-second", 1));
            assertThat(topicNames(second)).contains("only-on-second");
            assertThat(topicNames(kafka)).doesNotContain("only-on-second");
        } finally {
            second.close();
        }

        assertThat(running.dataDir()).doesNotExist();
        assertThat(canBind(running.port())).as("client port free after close").isTrue();
        assertThat(canBind(running.controllerPort())).as("controller port free after close").isTrue();
    }

    @Test
    void keptDataDirectoryRestartsOnOtherPortsWithItsRecords(@TempDir Path dataDir) {
        EmbeddedKafkaConfig config = EmbeddedKafkaConfig.defaults().withDataDir(dataDir);
        String clusterId;
        try (EmbeddedKafka first = EmbeddedKafka.start(config)) {
            clusterId = first.clusterId();
            first.createTopics(Map.of("events", 1));
            produce(first, "events", "cam-2", new byte[] {1, 2, 3});
        }
        assertThat(dataDir.resolve("meta.properties")).exists();

        try (EmbeddedKafka restarted = EmbeddedKafka.start(config)) {
            assertThat(restarted.clusterId()).isEqualTo(clusterId);
            assertThat(consumeAll(restarted, "events", 1)).singleElement()
                    .satisfies(record -> assertThat(record.value()).containsExactly(1, 2, 3));
        }
        assertThat(dataDir).isDirectory();
    }

    @Test
    void refusesTakenClientPortWithStartupException() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            EmbeddedKafkaConfig config = EmbeddedKafkaConfig.defaults().withPorts(taken.getLocalPort(), 0);

            assertThatThrownBy(() -> EmbeddedKafka.start(config))
                    .isInstanceOf(BrokerStartupException.class)
                    .hasMessageContaining("client port 127.0.0.1:" + taken.getLocalPort());
        }
    }

    /** Kafka halts the JVM when its controller cannot bind; this test would crash the fork if that got through. */
    @Test
    void refusesTakenControllerPortWithoutHaltingTheJvm() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            EmbeddedKafkaConfig config = EmbeddedKafkaConfig.defaults().withPorts(0, taken.getLocalPort());

            assertThatThrownBy(() -> EmbeddedKafka.start(config))
                    .isInstanceOf(BrokerStartupException.class)
                    .hasMessageContaining("controller port 127.0.0.1:" + taken.getLocalPort());
        }
    }

    @Test
    void rejectsSamePortForClientsAndController() {
        assertThatThrownBy(() -> EmbeddedKafkaConfig.defaults().withPorts(9092, 9092))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must differ");
    }

    private static void produce(EmbeddedKafka broker, String topic, String key, byte[] value) {
        Map<String, Object> props = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, broker.config().maxMessageBytes(),
                ProducerConfig.ACKS_CONFIG, "all");
        try (var producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, key, value)).get();
        } catch (Exception e) {
            throw new AssertionError("producing to " + topic + " failed", e);
        }
    }

    /** Reads partition 0 from the start, without a consumer group, until {@code expected} records or 15 s. */
    private static List<ConsumerRecord<String, byte[]>> consumeAll(EmbeddedKafka broker, String topic, int expected) {
        Map<String, Object> props = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            while (records.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }

    private static Set<String> topicNames(EmbeddedKafka broker) {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            return admin.listTopics().names().get();
        } catch (Exception e) {
            throw new AssertionError("listing topics on " + broker.bootstrapServers() + " failed", e);
        }
    }

    private static boolean canBind(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.isBound();
        } catch (IOException e) {
            return false;
        }
    }

    private static byte[] randomBytes(int size) {
        byte[] bytes = new byte[size];
        new Random(42).nextBytes(bytes);
        return bytes;
    }
}
