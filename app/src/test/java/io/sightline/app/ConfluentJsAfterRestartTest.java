package io.sightline.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sightline.cluster.EmbeddedKafkaConfig;
import io.sightline.cluster.LocalCluster;
import io.sightline.ingest.DirectorySource;
import io.sightline.ingest.DirectorySourceConfig;
import io.sightline.ingest.KafkaIngest;
import io.sightline.model.DetectionOptions;
import io.sightline.model.ModelStoreConfig;
import io.sightline.schemas.ConfluentAvroDeserializer;
import io.sightline.schemas.FrameLimits;
import io.sightline.schemas.SchemaRegistryClient;
import io.sightline.schemas.Topics;
import io.sightline.schemas.avro.DetectionEvent;
import io.sightline.stream.ProcessorConfig;
import io.sightline.stream.SightlineProcessor;
import io.sightline.stream.TopologySerdes;
import io.sightline.stream.UdfStack;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The data contract holds across a broker and registry restart on a kept data directory, seen by a client we did
 * not write: Confluent's official JS client decodes an event Sightline wrote before the restart, registers and
 * fetches schemas, and produces a record Sightline decodes; frames ingested after the restart still become events.
 */
class ConfluentJsAfterRestartTest {
    private static final String SIGHTING_SCHEMA = """
            {"type":"record","name":"Sighting","namespace":"thirdparty","fields":[
              {"name":"cameraId","type":"string"},{"name":"faces","type":"int"}]}""";

    @TempDir
    Path dataDir;
    @TempDir
    Path work;

    @Test
    void eventsWrittenBeforeARestartDecodeWithConfluentsJsClientAndTheContractKeepsWorkingAfterIt()
            throws Exception {
        ConfluentJsClient js = ConfluentJsClient.locate(work);
        Path assets = requiredAssets();
        Topics topics = Topics.withPrefix("restart");
        EmbeddedKafkaConfig kafkaConfig = EmbeddedKafkaConfig.defaults().withDataDir(dataDir);
        try (UdfStack udfs = UdfStack.open(ModelStoreConfig.fromEnvironment(assets), DetectionOptions.defaults(),
                FrameLimits.defaults())) {
            byte[] before;
            try (LocalCluster cluster = LocalCluster.start(kafkaConfig, 0, topics, 1)) {
                before = processOneImage(cluster, udfs, topics, assets, "lobby");
            }

            try (LocalCluster cluster = LocalCluster.start(kafkaConfig, 0, topics, 1)) {
                JsonNode decoded = js.decode(cluster.registryUrl(), topics.detections(), before);
                assertThat(decoded.get("cameraId").asText()).isEqualTo("lobby");
                assertThat(decoded.get("frameId").asText()).isEqualTo("group");
                assertThat(decoded.get("faces")).hasSize(6);
                assertThat(decoded.at("/model/name").asText()).isEqualTo("mtcnn");

                byte[] after = processOneImage(cluster, udfs, topics, assets, "hall");
                assertThat(schemaId(after)).as("same DetectionEvent schema id after the restart")
                        .isEqualTo(schemaId(before));
                assertThat(endOffset(cluster, topics.deadLetters())).as("dead letters").isZero();

                JsonNode registered = js.register(cluster.registryUrl(), "thirdparty.sightings-value", SIGHTING_SCHEMA);
                assertThat(registered.get("id").asInt()).isGreaterThan(schemaId(before));
                assertThat(registered.get("latestId").asInt()).isEqualTo(registered.get("id").asInt());
                assertThat(registered.get("latestVersion").asInt()).isEqualTo(1);
                assertThat(registered.get("compatible").asBoolean()).isTrue();
                assertThat(registered.get("fetched").asText()).contains("Sighting");

                byte[] fromJs = js.produce(cluster.registryUrl(), topics.detections(), jsDetectionEvent());
                assertThat(schemaId(fromJs)).isEqualTo(schemaId(before));
                DetectionEvent event = new ConfluentAvroDeserializer<>(
                        SchemaRegistryClient.forUrls(cluster.registryUrl().toString()), DetectionEvent.class)
                        .deserialize(topics.detections(), fromJs);
                assertThat(event.getCameraId()).isEqualTo("js-cam");
                assertThat(event.getCapturedAt()).isEqualTo(Instant.ofEpochMilli(1_790_000_000_000L));
                assertThat(event.getFaces()).singleElement()
                        .satisfies(face -> assertThat(face.getBox().getX2()).isEqualTo(150.75f));
                assertThat(event.getTimings().getTotalMs()).isEqualTo(187.0);
            }
        }
    }

    /** Runs the processor, ingests the group photo as one camera's frame, returns that camera's detection record. */
    private static byte[] processOneImage(LocalCluster cluster, UdfStack udfs, Topics topics, Path assets,
                                          String camera) throws Exception {
        Path input = Files.createTempDirectory("sightline-js-restart-" + camera);
        Files.copy(assets.resolve("images/tf-mtcnn-test.jpg"), input.resolve("group.jpg"));
        var serdes = cluster.serdes();
        // The processor leaves its group on close, so the run after the restart need not wait for a session timeout.
        var config = ProcessorConfig.of(cluster.bootstrapServers(), topics, 1, FrameLimits.defaults());
        try (SightlineProcessor processor = SightlineProcessor.start(config, TopologySerdes.from(serdes),
                udfs.runtime())) {
            processor.awaitRunning(Duration.ofSeconds(60));
            var source = new DirectorySource(DirectorySourceConfig.of(input, Optional.of(camera)));
            KafkaIngest.publish(source, cluster.bootstrapServers(), serdes, topics, config.limits());
            return recordOfCamera(cluster.bootstrapServers(), topics.detections(), camera);
        }
    }

    private static byte[] recordOfCamera(String bootstrapServers, String topic, String camera) {
        return TopicRecords.firstValue(bootstrapServers, topic,
                record -> camera.equals(new String(record.key(), StandardCharsets.UTF_8)), Duration.ofSeconds(90));
    }

    private static long endOffset(LocalCluster cluster, String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", cluster.bootstrapServers()))) {
            var partition = new TopicPartition(topic, 0);
            return admin.listOffsets(Map.of(partition, OffsetSpec.latest())).partitionResult(partition).get().offset();
        }
    }

    private static int schemaId(byte[] value) {
        assertThat(value[0]).as("Confluent magic byte").isZero();
        return ByteBuffer.wrap(value, 1, 4).getInt();
    }

    private static String jsDetectionEvent() {
        return """
                {"eventId":"evt-js","cameraId":"js-cam","frameId":"f-1","capturedAt":1790000000000,
                 "processedAt":1790000000187,"imageWidth":960,"imageHeight":661,
                 "faces":[{"box":{"x1":101.5,"y1":40.25,"x2":150.75,"y2":110.0},"score":0.998,
                           "landmarks":[{"x":120.0,"y":70.0},{"x":135.0,"y":70.0},{"x":127.25,"y":80.0},
                                        {"x":121.0,"y":95.0},{"x":134.0,"y":95.0}]}],
                 "model":{"name":"mtcnn","version":"js","sha256":"00"},
                 "udf":{"name":"none","version":"0","sha256":"00"},
                 "timings":{"decodeMs":1.0,"udfMs":1.0,"inferenceMs":176.25,"totalMs":187.0}}""";
    }

    /** Like {@link CommandRun#assets()}, but a missing model fails this test instead of skipping it. */
    private static Path requiredAssets() {
        Path assets = Path.of(System.getProperty("sightline.assets", "../../shared")).toAbsolutePath().normalize();
        assertThat(assets.resolve("models/mtcnn/mtcnn.pb"))
                .as("MTCNN model in the asset dir (set -Dsightline.assets)").isRegularFile();
        return assets;
    }
}
