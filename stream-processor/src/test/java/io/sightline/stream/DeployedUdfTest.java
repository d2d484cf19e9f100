package io.sightline.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.sightline.model.DetectionOptions;
import io.sightline.model.FaceDetector;
import io.sightline.schemas.avro.DeadLetter;
import io.sightline.schemas.avro.DetectionEvent;
import io.sightline.schemas.avro.Frame;
import io.sightline.udf.UdfConfig;
import io.sightline.udf.UdfDeployment;
import io.sightline.udf.UdfRuntime;
import java.time.Duration;
import java.time.Instant;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A UDF loaded from bytes at run time, in the product topology: a frame it spins on becomes a dead letter naming the
 * UDF's name and version and the reason, and the next frame becomes an event carrying the same provenance.
 */
class DeployedUdfTest {

    private static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");
    private static final Duration BUDGET = Duration.ofMillis(200);

    private static TopologyHarness harness;

    @BeforeAll
    static void start() {
        harness = new TopologyHarness("deployed", NOW);
    }

    @AfterAll
    static void stop() {
        harness.close();
    }

    @Test
    void deadLettersAFrameTheUdfSpinsOnWithItsNameVersionAndReasonThenProcessesTheNext() throws Exception {
        UdfConfig config = new UdfConfig(DetectionOptions.defaults(), UdfConfig.DEFAULT_MEMORY_MAX_PAGES, BUDGET);
        try (UdfRuntime udfs = UdfRuntime.load(UdfDeployment.of("spinner", "2.0.0", SPINNER), FaceDetector.none(), config);
                ActiveUdf active = new ActiveUdf(udfs);
                TopologyTestDriver driver = harness.driver(active)) {
            TestInputTopic<String, Frame> frames = harness.frames(driver);
            TestOutputTopic<String, DetectionEvent> detections = harness.detections(driver);
            TestOutputTopic<String, DeadLetter> deadLetters = harness.deadLetters(driver);

            frames.pipeInput("cam", TopologyHarness.blankFrame("spin", Instant.EPOCH));
            frames.pipeInput("cam", TopologyHarness.blankFrame("next", NOW));

            DeadLetter letter = deadLetters.readValue();
            assertThat(letter.getFrameId()).isEqualTo("spin");
            assertThat(letter.getReasonCode()).isEqualTo("UDF_TIMEOUT");
            assertThat(letter.getStage()).isEqualTo("udf");
            assertThat(letter.getMessage())
                    .isEqualTo("spinner@2.0.0 ran past its time budget of 200 ms and was interrupted");
            assertThat(letter.getUdf().getName()).isEqualTo("spinner");
            assertThat(letter.getUdf().getVersion()).isEqualTo("2.0.0");
            DetectionEvent event = detections.readValue();
            assertThat(letter.getUdf().getSha256()).isEqualTo(event.getUdf().getSha256()).hasSize(64);
            assertThat(event.getFrameId()).isEqualTo("next");
            assertThat(event.getUdf().getName()).isEqualTo("spinner");
            assertThat(event.getUdf().getVersion()).isEqualTo("2.0.0");
            assertThat(deadLetters.isEmpty()).isTrue();
        }
    }

    /**
     * A UDF assembled by hand: {@code on_frame} spins forever on a frame captured at epoch 0, and otherwise emits the
     * frame's image (no faces).
     */
    private static final byte[] SPINNER = {
        0, 'a', 's', 'm', 1, 0, 0, 0,
        // types: 0 (i32) -> i64, 1 (i32) -> i32, 2 (i32) -> (), 3 () -> i32
        1, 19, 4, 0x60, 1, 0x7f, 1, 0x7e, 0x60, 1, 0x7f, 1, 0x7f, 0x60, 1, 0x7f, 0, 0x60, 0, 1, 0x7f,
        // imports: sightline.frame_captured_at (0), sightline.frame_image (1), sightline.emit_image (2)
        2, 78, 3,
        9, 's', 'i', 'g', 'h', 't', 'l', 'i', 'n', 'e',
        17, 'f', 'r', 'a', 'm', 'e', '_', 'c', 'a', 'p', 't', 'u', 'r', 'e', 'd', '_', 'a', 't', 0, 0,
        9, 's', 'i', 'g', 'h', 't', 'l', 'i', 'n', 'e',
        11, 'f', 'r', 'a', 'm', 'e', '_', 'i', 'm', 'a', 'g', 'e', 0, 1,
        9, 's', 'i', 'g', 'h', 't', 'l', 'i', 'n', 'e',
        10, 'e', 'm', 'i', 't', '_', 'i', 'm', 'a', 'g', 'e', 0, 2,
        // functions: 3 abi_version of type 3, 4 on_frame of type 1
        3, 3, 2, 3, 1,
        // exports: "abi_version" = function 3, "on_frame" = function 4
        7, 26, 2,
        11, 'a', 'b', 'i', '_', 'v', 'e', 'r', 's', 'i', 'o', 'n', 0, 3,
        8, 'o', 'n', '_', 'f', 'r', 'a', 'm', 'e', 0, 4,
        // code
        10, 32, 2,
        // abi_version: i32.const 1
        4, 0, 0x41, 1, 0x0b,
        // on_frame: if frame_captured_at(frame) == 0 { loop { br 0 } }; emit_image(frame_image(frame)); 0
        25, 0, 0x20, 0, 0x10, 0, 0x42, 0, 0x51, 0x04, 0x40, 0x03, 0x40, 0x0c, 0, 0x0b, 0x0b,
        0x20, 0, 0x10, 1, 0x10, 2, 0x41, 0, 0x0b,
    };
}
