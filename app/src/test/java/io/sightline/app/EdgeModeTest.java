package io.sightline.app;

import static io.sightline.app.TestModules.faceAnnotateWasm;
import static io.sightline.app.TestModules.sha256;
import static io.sightline.app.TestModules.withCustomSection;
import static org.assertj.core.api.Assertions.assertThat;

import io.sightline.cluster.EmbeddedKafkaConfig;
import io.sightline.cluster.LocalCluster;
import io.sightline.edge.EdgeSite;
import io.sightline.edge.EdgeSummary;
import io.sightline.edge.ForwardedDedup;
import io.sightline.edge.SchemaIdTranslation;
import io.sightline.model.ModelCatalog;
import io.sightline.model.ModelManifest;
import io.sightline.model.ModelStoreConfig;
import io.sightline.schemas.SchemaRegistryClient;
import io.sightline.schemas.SightlineSerdes;
import io.sightline.schemas.Topics;
import io.sightline.schemas.avro.DetectionEvent;
import io.sightline.schemas.avro.UdfDeploymentRecord;
import io.sightline.stream.ModelActivation;
import io.sightline.stream.ModelActivationTopic;
import io.sightline.stream.UdfDeploymentTopic;
import io.sightline.stream.UdfDeploymentWatcher;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.BooleanSupplier;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Edge mode end to end on one machine, two real brokers on loopback: the centre is what `sightline broker` runs
 * (LocalCluster with a kept data directory and fixed ports), the edge is {@link EdgeSite} with two cameras replayed
 * in a loop, real TF, real Wasm, MirrorMaker 2 in process. Central consumers decode the edge's events with the
 * central registry; a UDF deployed and a model version activated at the centre reach the edge's processor without a
 * restart; the central broker stopped for 65 s while the edge keeps ingesting loses nothing (a flow stalled by the
 * outage is restarted by the edge's watchdog), and after dropping duplicates by eventId the centre holds exactly the
 * edge's events, in the edge's order per camera.
 */
class EdgeModeTest {

    private static final Topics TOPICS = Topics.withPrefix(Topics.DEFAULT_PREFIX);
    private static final String SITE = "edge1";
    private static final String REMOTE_DETECTIONS = SITE + "." + TOPICS.detections();

    @TempDir
    Path tmp;

    @Test
    void forwardsEventsFollowsCentralDeploymentsAndActivationsAndSurvivesCentralOutage() throws Exception {
        Path assets = CommandRun.assets();
        Path input = cameras(assets);
        int centralPort = freePort();
        int centralRegistryPort = freePort();
        var centralConfig = EmbeddedKafkaConfig.defaults().withDataDir(tmp.resolve("central"))
                .withPorts(centralPort, 0);
        LocalCluster central = LocalCluster.start(centralConfig, centralRegistryPort, TOPICS, 2);
        try {
            String centralRegistry = central.registryUrl().toString();
            String centralKafka = central.bootstrapServers(); // the same after a restart: fixed ports
            shiftIds(centralRegistry);
            var config = new EdgeSite.Config(SITE, centralKafka, centralRegistry, input, 0, 0,
                    tmp.resolve("edge"), 2, false, false, -1, -1, 1, 20, "face-annotate",
                    ModelStoreConfig.fromEnvironment(assets), Map.of(), Duration.ofSeconds(20),
                    UdfDeploymentWatcher.Trust.anyone());
            try (EdgeSite edge = EdgeSite.start(config)) {
                var centralEvents = SightlineSerdes.forUrls(centralRegistry).deserializer(DetectionEvent.class);

                // 1. The edge's events reach the centre and decode with the central registry, faces and all.
                List<ConsumerRecord<byte[], byte[]>> first = await(centralKafka, REMOTE_DETECTIONS, 4,
                        Duration.ofSeconds(180));
                int centralId = ByteBuffer.wrap(first.get(0).value(), 1, 4).getInt();
                int edgeId = ByteBuffer.wrap(readAll(edge.bootstrapServers(), TOPICS.detections()).get(0).value(), 1, 4)
                        .getInt();
                assertThat(centralId).as("schema id at the centre").isNotEqualTo(edgeId)
                        .isEqualTo(SchemaRegistryClient.forUrls(centralRegistry)
                                .latest(REMOTE_DETECTIONS + "-value").id());
                List<DetectionEvent> decoded = first.stream()
                        .map(record -> centralEvents.deserialize(REMOTE_DETECTIONS, record.value())).toList();
                assertThat(decoded).extracting(event -> event.getCameraId().toString()).containsAnyOf("lobby", "gate");
                assertThat(decoded).anySatisfy(event -> assertThat(event.getFaces()).hasSizeGreaterThan(5));
                assertThat(first.get(0).headers().lastHeader(SchemaIdTranslation.SOURCE_OFFSET_HEADER)).isNotNull();

                // 2. A UDF version deployed at the centre reaches the edge's processor without a restart.
                byte[] version2 = withCustomSection(faceAnnotateWasm(), "sightline-edge-test", "version 2");
                String sha2 = sha256(version2);
                new UdfDeploymentTopic(centralKafka, TOPICS.udfs(), central.serdes()).deploy(
                        UdfDeploymentRecord.newBuilder().setName("face-annotate").setVersion("2").setSha256(sha2)
                                .setModule(ByteBuffer.wrap(version2)).setConfigJson("{}")
                                .setDeployedAt(Instant.now()).build(), 16 * 1024 * 1024);
                long deployed = System.nanoTime();
                awaitTrue(() -> readAll(centralKafka, REMOTE_DETECTIONS).stream()
                        .map(record -> centralEvents.deserialize(REMOTE_DETECTIONS, record.value()))
                        .anyMatch(event -> sha2.equals(event.getUdf().getSha256().toString())),
                        Duration.ofSeconds(120), "an event made by the UDF deployed at the centre");
                System.out.printf("edge: central deployment in force at the edge, seen at the centre, after %d ms%n",
                        (System.nanoTime() - deployed) / 1_000_000);

                // 3. A model version activated at the centre runs at the edge without a restart.
                ModelManifest strict = ModelCatalog.bundled().get("mtcnn@tf-mtcnn-b7ffa19-strict");
                new ModelActivationTopic(centralKafka, TOPICS.models()).activate(
                        new ModelActivation("face-detector", strict.label(), strict.sha256(), Instant.now()));
                long activated = System.nanoTime();
                awaitTrue(() -> readAll(centralKafka, REMOTE_DETECTIONS).stream()
                        .map(record -> centralEvents.deserialize(REMOTE_DETECTIONS, record.value()))
                        .anyMatch(event -> strict.version().equals(event.getModel().getVersion().toString())),
                        Duration.ofSeconds(120), "an event made by the model version activated at the centre");
                System.out.printf("edge: central model activation in force at the edge, seen at the centre, "
                        + "after %d ms%n", (System.nanoTime() - activated) / 1_000_000);

                // 4. The central broker goes away for 65 s; the edge keeps ingesting and processing.
                EdgeSummary before = edge.summary();
                System.out.println("edge before the outage: " + before.toJson());
                long eventsBefore = before.events();
                central.close();
                central = null;
                Thread.sleep(65_000); // longer than the Connect worker's rebalance timeout (60 s)
                EdgeSummary during = edge.summary();
                System.out.println("edge during the outage: " + during.toJson());
                assertThat(during.forwarding().centralReachable()).isFalse();
                assertThat(during.events()).as("events made during the outage").isGreaterThan(eventsBefore + 5);
                assertThat(during.forwarding().pendingRecords()).isPositive();
                assertThat(during.forwarding().oldestPendingAgeMs()).isGreaterThan(5_000L);

                central = LocalCluster.start(centralConfig, centralRegistryPort, TOPICS, 2);
                edge.stopCamera();
                awaitTrue(() -> edge.summary().events() >= edge.summary().framesIn(), Duration.ofSeconds(120),
                        "the edge processed every frame");
                var edgeEvents = SightlineSerdes.forUrls(edge.registryUrl()).deserializer(DetectionEvent.class);
                List<DetectionEvent> atEdge = readAll(edge.bootstrapServers(), TOPICS.detections()).stream()
                        .map(record -> edgeEvents.deserialize(TOPICS.detections(), record.value()))
                        .toList();
                String centralBootstrap = centralKafka;
                awaitTrue(() -> distinctIds(centralBootstrap, centralEvents).size() >= atEdge.size(),
                        Duration.ofSeconds(180), "every edge event at the centre");
                EdgeSummary after = edge.summary();
                System.out.println("edge after the outage: " + after.toJson());

                List<ConsumerRecord<byte[], byte[]>> records = readAll(centralBootstrap, REMOTE_DETECTIONS);
                List<DetectionEvent> atCentre = records.stream()
                        .map(record -> centralEvents.deserialize(REMOTE_DETECTIONS, record.value())).toList();
                // The documented rule, by source offset per partition, keeps exactly the edge's events in its order.
                var dedup = new ForwardedDedup();
                List<String> kept = records.stream().filter(dedup::firstTime)
                        .map(record -> centralEvents.deserialize(REMOTE_DETECTIONS, record.value()).getEventId()
                                .toString()).toList();
                assertThat(kept).isEqualTo(atEdge.stream().map(event -> event.getEventId().toString()).toList());
                Map<String, DetectionEvent> unique = new LinkedHashMap<>();
                atCentre.forEach(event -> unique.putIfAbsent(event.getEventId().toString(), event));
                System.out.printf("edge: %d events at the edge, %d records at the centre, %d distinct%n",
                        atEdge.size(), atCentre.size(), unique.size());
                assertThat(unique.keySet()).containsExactlyInAnyOrderElementsOf(
                        atEdge.stream().map(event -> event.getEventId().toString()).toList());
                for (String camera : List.of("lobby", "gate")) {
                    assertThat(frameIds(unique.values(), camera)).as("order of camera " + camera)
                            .isEqualTo(frameIds(atEdge, camera)).hasSizeGreaterThan(10);
                }
                assertThat(after.forwarding().pendingRecords()).isZero();
                assertThat(after.forwardedPercent()).as("forwarded bytes per camera byte, %").isLessThan(5.0);
            }
        } finally {
            if (central != null) {
                central.close();
            }
        }
    }

    /** Two cameras: the Solvay photo (many faces) as "lobby", the MTCNN test image as "gate". */
    private Path cameras(Path assets) throws IOException {
        Path input = tmp.resolve("cameras");
        Files.createDirectories(input.resolve("lobby"));
        Files.createDirectories(input.resolve("gate"));
        Files.copy(assets.resolve("images/solvay-1927.jpg"), input.resolve("lobby/solvay.jpg"));
        Files.copy(assets.resolve("images/tf-mtcnn-test.jpg"), input.resolve("gate/test.jpg"));
        return input;
    }

    /** Registers unrelated schemas first, so the centre's ids for Sightline's schemas differ from the edge's. */
    private static void shiftIds(String registryUrl) {
        var client = SchemaRegistryClient.forUrls(registryUrl);
        for (int i = 0; i < 3; i++) {
            Schema schema = SchemaBuilder.record("Unrelated" + i).fields().requiredInt("n" + i).endRecord();
            client.register("unrelated-" + i + "-value", schema);
        }
    }

    private static List<String> frameIds(java.util.Collection<DetectionEvent> events, String camera) {
        return events.stream().filter(event -> camera.equals(event.getCameraId().toString()))
                .map(event -> event.getFrameId().toString()).toList();
    }

    private static LinkedHashSet<String> distinctIds(String bootstrap,
            org.apache.kafka.common.serialization.Deserializer<DetectionEvent> events) {
        var ids = new LinkedHashSet<String>();
        readAll(bootstrap, REMOTE_DETECTIONS)
                .forEach(record -> ids.add(events.deserialize(REMOTE_DETECTIONS, record.value()).getEventId().toString()));
        return ids;
    }

    private static List<ConsumerRecord<byte[], byte[]>> await(String bootstrap, String topic, int count,
            Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            List<ConsumerRecord<byte[], byte[]>> records = readAll(bootstrap, topic);
            if (records.size() >= count) {
                return records;
            }
            Thread.sleep(1000);
        }
        throw new AssertionError("fewer than " + count + " records on " + topic + " after " + timeout.toSeconds() + " s");
    }

    private static void awaitTrue(BooleanSupplier condition, Duration timeout, String what) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (condition.getAsBoolean()) {
                return;
            }
            Thread.sleep(1000);
        }
        throw new AssertionError("not within " + timeout.toSeconds() + " s: " + what);
    }

    /** Every record of the topic now (all partitions, in partition order); none if the topic does not exist yet. */
    static List<ConsumerRecord<byte[], byte[]>> readAll(String bootstrap, String topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 16 * 1024 * 1024);
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            if (!consumer.listTopics(Duration.ofSeconds(10)).containsKey(topic)) {
                return records;
            }
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(10));
            while (partitions.stream().anyMatch(partition -> consumer.position(partition) < end.get(partition))) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        records.sort(java.util.Comparator.<ConsumerRecord<byte[], byte[]>>comparingInt(ConsumerRecord::partition)
                .thenComparingLong(ConsumerRecord::offset));
        return records;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
