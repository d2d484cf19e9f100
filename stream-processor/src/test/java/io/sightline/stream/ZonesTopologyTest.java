package io.sightline.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sightline.model.ModelStore;
import io.sightline.model.ModelStoreConfig;
import io.sightline.schemas.avro.DetectionEvent;
import io.sightline.schemas.avro.Frame;
import io.sightline.schemas.avro.ImageEncoding;
import io.sightline.schemas.avro.UdfOutputRecord;
import io.sightline.udf.UdfConfig;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

/**
 * Ten people walk past each other across a door line (the labelled sequence eval/tracks/door-5fps) in front of a
 * camera with a line and a zone: the alerts output counts each crossing once, in its direction, names the track, and
 * loitering fires at most once per track.
 */
class ZonesTopologyTest {

    private static final Path SEQUENCE = Path.of("../eval/tracks/door-5fps").toAbsolutePath().normalize();
    private static final String PIPELINES = """
            pipelines:
              - name: default
                cameras: ["*"]
                stages: [face-annotate]
            cameras:
              door:
                lines:
                  - {name: door, from: [320, 0], to: [320, 427]}
                zones:
                  - {name: left, polygon: [[0, 0], [320, 0], [320, 427], [0, 427]], loiter: 2}
            """;

    @Test
    void tenPeopleCrossingTheDoorLineCountTenWithTheirTracksAndDirections() throws Exception {
        Path assets = Path.of(System.getProperty("sightline.assets", "../../shared"));
        if (!Files.isRegularFile(assets.resolve("models/mtcnn/mtcnn.pb"))) {
            fail("asset dir " + assets + " has no models/mtcnn/mtcnn.pb");
        }
        JsonNode labels = new ObjectMapper().readTree(SEQUENCE.resolve("labels.json").toFile());
        Pipelines pipelines = PipelinesFile.parse(PIPELINES, "pipelines.yaml");
        try (var harness = new TopologyHarness("zones", Instant.parse("2026-03-02T10:00:00Z"));
                ModelStore models = ModelStore.open(ModelStoreConfig.fromEnvironment(assets));
                PipelineUdfs udfs = PipelineUdfs.open(pipelines, Map.of(), models.faceDetector(), UdfConfig.defaults());
                TopologyTestDriver driver = harness.driver(udfs)) {
            var frames = harness.frames(driver);
            for (JsonNode label : labels.get("frames")) {
                String file = label.get("file").asText();
                Instant time = Instant.parse(label.get("time").asText());
                Frame frame = Frame.newBuilder().setCameraId("door").setFrameId(file).setCapturedAt(time)
                        .setEncoding(ImageEncoding.JPEG).setWidth(640).setHeight(427)
                        .setPayload(ByteBuffer.wrap(Files.readAllBytes(SEQUENCE.resolve(file)))).build();
                frames.pipeInput(new TestRecord<>("door", frame, time));
            }

            List<DetectionEvent> events = harness.detections(driver).readValuesToList();
            List<JsonNode> alerts = new ArrayList<>();
            for (UdfOutputRecord record : harness.outputs(driver, "alerts").readValuesToList()) {
                assertThat(record.getUdf().getName()).isEqualTo("zones");
                assertThat(record.getUdf().getSha256()).isEqualTo(pipelines.zonesOf("door").sha256());
                alerts.add(new ObjectMapper().readTree(record.getPayload().array()));
            }

            assertThat(events).hasSize(70);
            List<JsonNode> crossings = alerts.stream().filter(a -> a.get("kind").asText().equals("line-cross")).toList();
            assertThat(crossings).hasSize(10);
            assertThat(crossings).extracting(a -> a.get("trackId").asLong()).doesNotHaveDuplicates();
            // Walkers 1, 3, 5, 7, 9 go right, 2, 4, 6, 8, 10 left.
            assertThat(crossings.stream().collect(Collectors.groupingBy(a -> a.get("direction").asText(),
                    Collectors.counting()))).isEqualTo(Map.of("left-to-right", 5L, "right-to-left", 5L));
            List<Long> loiterers = alerts.stream().filter(a -> a.get("kind").asText().equals("loiter"))
                    .map(a -> a.get("trackId").asLong()).toList();
            assertThat(loiterers).doesNotHaveDuplicates();
            long enters = alerts.stream().filter(a -> a.get("kind").asText().equals("zone-enter")).count();
            long exits = alerts.stream().filter(a -> a.get("kind").asText().equals("zone-exit")).count();
            assertThat(enters).isGreaterThanOrEqualTo(10);
            assertThat(exits).isLessThanOrEqualTo(enters);
        }
    }
}
