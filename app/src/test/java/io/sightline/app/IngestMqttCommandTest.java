package io.sightline.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sightline.ingest.MosquittoBroker;
import io.sightline.schemas.Topics;
import io.sightline.schemas.avro.CameraReadings;
import io.sightline.schemas.avro.Frame;
import io.sightline.schemas.avro.Reading;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** `ingest mqtt` from Debian's Mosquitto into the real broker and registry. */
class IngestMqttCommandTest {

    private static final Topics TOPICS = ClusterPerClass.TOPICS;

    @RegisterExtension
    static final ClusterPerClass cluster = new ClusterPerClass();

    @Test
    void framesArriveWithTheirCamerasReadingsAndLoneReadingsOnTheReadingsTopic() throws Exception {
        byte[] jpeg = Files.readAllBytes(CommandRun.assets().resolve("images/solvay-1927.jpg"));
        try (var mosquitto = MosquittoBroker.start()) {
            CompletableFuture<CommandRun> ingest = CompletableFuture.supplyAsync(() -> CommandRun.of("ingest", "mqtt",
                    mosquitto.url(), "--topic", "cameras/+/#", "--attach-window", "1", "--duration", "6",
                    "--bootstrap-servers", cluster.bootstrapServers(), "--registry-url",
                    cluster.registryUrl().toString(), "--json"));
            Thread.sleep(3000); // connected and subscribed
            var device = new MqttClient(mosquitto.url(), "sensor-hub", new MemoryPersistence());
            device.connect();
            device.publish("cameras/hall/frame", jpeg, 1, false);
            device.publish("cameras/hall/readings", "{\"temperature\":{\"value\":19.5,\"unit\":\"C\"}}"
                    .getBytes(StandardCharsets.UTF_8), 1, false);
            device.publish("cameras/cellar/readings", "{\"humidity\":71}".getBytes(StandardCharsets.UTF_8), 1, false);
            device.disconnect();
            device.close();

            CommandRun run = ingest.get(60, TimeUnit.SECONDS);
            assertThat(run.exitCode()).as(run.err()).isZero();
            JsonNode summary = new ObjectMapper().readTree(run.out());
            System.out.println("ingest mqtt: " + summary);
            assertThat(summary.get("published").asInt()).isEqualTo(1);
            assertThat(summary.get("readingsAttached").asInt()).isEqualTo(1);
            assertThat(summary.get("readingsAlone").asInt()).isEqualTo(1);
        }
        List<Frame> frames = TopicFrames.records(cluster.bootstrapServers(), cluster.serdes(), TOPICS.frames(),
                Frame.class).stream().map(ConsumerRecord::value).filter(f -> f.getCameraId().equals("hall")).toList();
        assertThat(frames).singleElement().satisfies(f -> assertThat(f.getReadings())
                .extracting(Reading::getName, Reading::getValue, Reading::getUnit)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("temperature", 19.5, "C")));
        List<CameraReadings> alone = TopicFrames.records(cluster.bootstrapServers(), cluster.serdes(),
                "sightline.readings", CameraReadings.class).stream().map(ConsumerRecord::value).toList();
        assertThat(alone).singleElement().satisfies(r -> {
            assertThat(r.getCameraId()).isEqualTo("cellar");
            assertThat(r.getReadings()).extracting(Reading::getName).containsExactly("humidity");
        });
    }
}
