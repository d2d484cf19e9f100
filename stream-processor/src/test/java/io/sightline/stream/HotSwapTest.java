package io.sightline.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sightline.model.FaceDetector;
import io.sightline.schemas.avro.DeadLetter;
import io.sightline.schemas.avro.DetectionEvent;
import io.sightline.schemas.avro.Frame;
import io.sightline.udf.UdfConfig;
import io.sightline.udf.UdfDeployment;
import io.sightline.udf.UdfRuntime;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Hot swap inside the product topology: frames before a switch run on version A, every frame after it on version B,
 * each frame is one event, and the replaced runtime is closed once no processor uses it.
 */
class HotSwapTest {

    private static final Instant NOW = Instant.parse("2026-12-01T00:00:00Z");

    private static TopologyHarness harness;

    @BeforeAll
    static void start() {
        harness = new TopologyHarness("swap", NOW);
    }

    @AfterAll
    static void stop() {
        harness.close();
    }

    @Test
    void framesAfterASwitchCarryTheNewVersionAndSha256WithNoFrameLostOrRepeated() throws Exception {
        byte[] faceAnnotate = faceAnnotateWasm();
        UdfRuntime versionA = UdfRuntime.load(UdfDeployment.of("face-annotate", "a", faceAnnotate), FaceDetector.none(),
                UdfConfig.defaults());
        UdfRuntime versionB = UdfRuntime.load(UdfDeployment.of("face-annotate", "b",
                withCustomSection(faceAnnotate, "sightline-test", "b")), FaceDetector.none(), UdfConfig.defaults());
        assertThat(versionB.info().sha256()).isNotEqualTo(versionA.info().sha256());
        try (ActiveUdf active = new ActiveUdf(versionA); TopologyTestDriver driver = harness.driver(active)) {
            TestInputTopic<String, Frame> frames = harness.frames(driver);
            TestOutputTopic<String, DetectionEvent> detections = harness.detections(driver);
            TestOutputTopic<String, DeadLetter> deadLetters = harness.deadLetters(driver);

            for (int i = 0; i < 3; i++) {
                frames.pipeInput("cam", TopologyHarness.blankFrame("before-" + i, NOW));
            }
            active.switchTo(versionB);
            for (int i = 0; i < 3; i++) {
                frames.pipeInput("cam", TopologyHarness.blankFrame("after-" + i, NOW));
            }

            List<DetectionEvent> events = detections.readValuesToList();
            assertThat(events).extracting(DetectionEvent::getFrameId)
                    .containsExactly("before-0", "before-1", "before-2", "after-0", "after-1", "after-2");
            assertThat(events.subList(0, 3)).allSatisfy(event -> {
                assertThat(event.getUdf().getVersion()).isEqualTo("a");
                assertThat(event.getUdf().getSha256()).isEqualTo(versionA.info().sha256());
            });
            assertThat(events.subList(3, 6)).allSatisfy(event -> {
                assertThat(event.getUdf().getVersion()).isEqualTo("b");
                assertThat(event.getUdf().getSha256()).isEqualTo(versionB.info().sha256());
            });
            assertThat(deadLetters.isEmpty()).isTrue();
            assertThatThrownBy(versionA::newInstance).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("closed");
        }
        assertThatThrownBy(versionB::newInstance).isInstanceOf(IllegalStateException.class);
    }

    /** The same module with a custom section appended: it behaves the same, but its bytes and sha256 differ. */
    static byte[] withCustomSection(byte[] wasm, String name, String payload) {
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        byte[] payloadBytes = payload.getBytes(StandardCharsets.UTF_8);
        var content = new ByteArrayOutputStream();
        leb128(content, nameBytes.length);
        content.writeBytes(nameBytes);
        content.writeBytes(payloadBytes);
        var out = new ByteArrayOutputStream();
        out.writeBytes(wasm);
        out.write(0);
        leb128(out, content.size());
        out.writeBytes(content.toByteArray());
        return out.toByteArray();
    }

    private static void leb128(ByteArrayOutputStream out, int value) {
        do {
            int part = value & 0x7f;
            value >>>= 7;
            out.write(value == 0 ? part : part | 0x80);
        } while (value != 0);
    }

    static byte[] faceAnnotateWasm() throws Exception {
        try (InputStream in = UdfRuntime.class.getResourceAsStream("/io/sightline/udf/bundled/face-annotate.wasm")) {
            return in.readAllBytes();
        }
    }
}
