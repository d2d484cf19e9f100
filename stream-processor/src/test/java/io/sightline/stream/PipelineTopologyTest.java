package io.sightline.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.sightline.model.FaceDetector;
import io.sightline.schemas.avro.DeadLetter;
import io.sightline.schemas.avro.DetectionEvent;
import io.sightline.schemas.avro.Frame;
import io.sightline.udf.UdfConfig;
import io.sightline.udf.UdfDeployment;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Pipelines in the product topology: each camera runs its pipeline's chain, a frame a filter stage drops is one dead
 * letter (without the frame's bytes), and a deployment of one UDF name switches that stage in every pipeline running
 * it between two records.
 */
class PipelineTopologyTest {

    private static final Instant NOW = Instant.parse("2026-12-01T01:00:00Z");
    private static final String PIPELINES = """
            pipelines:
              - name: sampled
                cameras: [door]
                stages:
                  - dropper
                  - face-annotate
              - name: lobby
                cameras: [lobby]
                stages: [face-annotate]
              - name: default
                cameras: ["*"]
                stages: [face-annotate]
            """;

    private static TopologyHarness harness;

    @BeforeAll
    static void start() {
        harness = new TopologyHarness("pipelines", NOW);
    }

    @AfterAll
    static void stop() {
        harness.close();
    }

    @Test
    void eachCameraRunsItsPipelineAndAFrameAFilterDropsIsOneDeadLetterWithoutItsBytes() {
        Pipelines pipelines = PipelinesFile.parse(PIPELINES, "pipelines.yaml");
        try (PipelineUdfs udfs = PipelineUdfs.open(pipelines, Map.of("dropper", UdfDeployment.of("dropper", "1.0",
                DROPPER)), FaceDetector.none(), UdfConfig.defaults());
                TopologyTestDriver driver = harness.driver(udfs)) {
            TestInputTopic<String, Frame> frames = harness.frames(driver);
            TestOutputTopic<String, DetectionEvent> detections = harness.detections(driver);
            TestOutputTopic<String, DeadLetter> deadLetters = harness.deadLetters(driver);

            for (String camera : List.of("door", "lobby", "parking")) {
                frames.pipeInput(camera, TopologyHarness.blankFrame(camera, camera + "-1", NOW));
            }

            List<DetectionEvent> events = detections.readValuesToList();
            assertThat(events).extracting(DetectionEvent::getCameraId).containsExactly("lobby", "parking");
            assertThat(events).extracting(DetectionEvent::getPipeline).containsExactly("lobby", "default");
            assertThat(events).allSatisfy(event -> assertThat(event.getUdf().getName()).isEqualTo("face-annotate"));
            DeadLetter dropped = deadLetters.readValue();
            assertThat(dropped.getCameraId()).isEqualTo("door");
            assertThat(dropped.getReasonCode()).isEqualTo("DROPPED_BY_UDF");
            assertThat(dropped.getUdf().getName()).isEqualTo("dropper");
            assertThat(dropped.getUdf().getVersion()).isEqualTo("1.0");
            assertThat(dropped.getMessage()).isEqualTo("dropper@1.0 dropped the frame in pipeline sampled, stage 1 "
                    + "of 2");
            assertThat(dropped.getValue()).as("a deliberate drop does not copy the frame").isNull();
            assertThat(dropped.getValueSize()).isPositive();
            assertThat(dropped.getValueSha256()).hasSize(64);
            assertThat(deadLetters.isEmpty()).isTrue();
        }
    }

    @Test
    void aDeploymentSwitchesThatUdfInEveryPipelineBetweenRecordsAndARemovalGoesBackToTheBundledOne()
            throws Exception {
        Pipelines pipelines = PipelinesFile.parse(PIPELINES, "pipelines.yaml");
        byte[] version2 = HotSwapTest.withCustomSection(HotSwapTest.faceAnnotateWasm(), "sightline-test", "2");
        try (PipelineUdfs udfs = PipelineUdfs.open(pipelines, Map.of("dropper", UdfDeployment.of("dropper", "1.0",
                DROPPER)), FaceDetector.none(), UdfConfig.defaults());
                TopologyTestDriver driver = harness.driver(udfs)) {
            TestInputTopic<String, Frame> frames = harness.frames(driver);
            TestOutputTopic<String, DetectionEvent> detections = harness.detections(driver);
            String bundled = udfs.stages("lobby").get(0).info().sha256();
            String bundledVersion = udfs.stages("lobby").get(0).info().version();

            frames.pipeInput("lobby", TopologyHarness.blankFrame("lobby", "before", NOW));
            frames.pipeInput("parking", TopologyHarness.blankFrame("parking", "before", NOW));
            udfs.deployed(UdfDeployment.of("face-annotate", "2", version2));
            frames.pipeInput("lobby", TopologyHarness.blankFrame("lobby", "after", NOW));
            frames.pipeInput("parking", TopologyHarness.blankFrame("parking", "after", NOW));
            udfs.removed("face-annotate");
            frames.pipeInput("parking", TopologyHarness.blankFrame("parking", "removed", NOW));

            List<DetectionEvent> events = detections.readValuesToList();
            assertThat(events).extracting(e -> e.getCameraId() + "/" + e.getFrameId() + "@" + e.getUdf().getVersion())
                    .containsExactly("lobby/before@" + bundledVersion, "parking/before@" + bundledVersion,
                            "lobby/after@2", "parking/after@2", "parking/removed@" + bundledVersion);
            assertThat(events.get(2).getUdf().getSha256()).isEqualTo(events.get(3).getUdf().getSha256())
                    .isEqualTo(UdfDeploymentWatcher.sha256(version2));
            assertThat(events.get(4).getUdf().getSha256()).isEqualTo(bundled);
        }
    }

    /** A UDF assembled by hand whose {@code on_frame} drops every frame (status 1). */
    static final byte[] DROPPER = {
        0, 'a', 's', 'm', 1, 0, 0, 0,
        // types: 0 (i32) -> i32, 1 () -> i32
        1, 10, 2, 0x60, 1, 0x7f, 1, 0x7f, 0x60, 0, 1, 0x7f,
        // functions: 0 abi_version of type 1, 1 on_frame of type 0
        3, 3, 2, 1, 0,
        // exports: "abi_version" = function 0, "on_frame" = function 1
        7, 26, 2,
        11, 'a', 'b', 'i', '_', 'v', 'e', 'r', 's', 'i', 'o', 'n', 0, 0,
        8, 'o', 'n', '_', 'f', 'r', 'a', 'm', 'e', 0, 1,
        // code: abi_version = i32.const 1; on_frame = i32.const 1 (dropped)
        10, 11, 2, 4, 0, 0x41, 1, 0x0b, 4, 0, 0x41, 1, 0x0b,
    };
}
