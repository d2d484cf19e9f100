package io.sightline.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sightline.cluster.EmbeddedKafkaConfig;
import io.sightline.cluster.LocalCluster;
import io.sightline.ingest.DirectorySource;
import io.sightline.ingest.DirectorySourceConfig;
import io.sightline.ingest.KafkaIngest;
import io.sightline.model.DetectionOptions;
import io.sightline.model.ModelStoreConfig;
import io.sightline.schemas.FrameLimits;
import io.sightline.schemas.Topics;
import io.sightline.stream.ProcessorConfig;
import io.sightline.stream.SightlineProcessor;
import io.sightline.stream.TopologySerdes;
import io.sightline.stream.UdfStack;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A downstream consumer that knows nothing of Sightline's classes reads the detection topic: plain Kafka consumer,
 * the Confluent wire-format header, the registry's REST API for the writer schema, and generic Avro.
 */
class DetectionTopicInteropTest {

    @TempDir
    Path input;

    @Test
    void detectionTopicDecodesWithOnlyTheRegistryRestApiAndGenericAvro() throws Exception {
        Path assets = CommandRun.assets();
        Files.copy(assets.resolve("images/tf-mtcnn-test.jpg"), input.resolve("group.jpg"));
        Topics topics = Topics.withPrefix("interop");
        try (UdfStack udfs = UdfStack.open(ModelStoreConfig.fromEnvironment(assets), DetectionOptions.defaults(),
                FrameLimits.defaults());
                LocalCluster cluster = LocalCluster.start(EmbeddedKafkaConfig.defaults(), 0, topics, 1)) {
            var serdes = cluster.serdes();
            var config = ProcessorConfig.of(cluster.bootstrapServers(), topics, 1, FrameLimits.defaults());
            try (SightlineProcessor processor = SightlineProcessor.start(config, TopologySerdes.from(serdes), udfs.runtime())) {
                processor.awaitRunning(Duration.ofSeconds(60));
                var source = new DirectorySource(DirectorySourceConfig.of(input, Optional.of("lobby")));
                KafkaIngest.publish(source, cluster.bootstrapServers(), serdes, topics, config.limits());

                byte[] value = firstRecord(cluster.bootstrapServers(), topics.detections());

                assertThat(value[0]).as("Confluent magic byte").isZero();
                int schemaId = ByteBuffer.wrap(value, 1, 4).getInt();
                Schema writer = new Schema.Parser().parse(get(cluster.registryUrl(), "/schemas/ids/" + schemaId).get("schema").asText());
                GenericRecord event = new GenericDatumReader<GenericRecord>(writer)
                        .read(null, DecoderFactory.get().binaryDecoder(value, 5, value.length - 5, null));
                assertThat(event.get("cameraId").toString()).isEqualTo("lobby");
                assertThat(event.get("frameId").toString()).isEqualTo("group");
                assertThat((List<?>) event.get("faces")).hasSize(6);
                assertThat(get(cluster.registryUrl(), "/subjects/interop.detections-value/versions/latest").get("id").asInt())
                        .isEqualTo(schemaId);
            }
        }
    }

    private static byte[] firstRecord(String bootstrapServers, String topic) {
        return TopicRecords.firstValue(bootstrapServers, topic, record -> true, Duration.ofSeconds(60));
    }

    private static JsonNode get(URI registry, String path) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(registry.resolve(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
        return new ObjectMapper().readTree(response.body());
    }
}
