package io.sightline.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.sightline.model.FaceDetector;
import io.sightline.schemas.avro.DeadLetter;
import io.sightline.schemas.avro.DetectionEvent;
import io.sightline.schemas.avro.Frame;
import io.sightline.schemas.avro.UdfOutputRecord;
import io.sightline.udf.UdfConfig;
import io.sightline.udf.UdfDeployment;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Named outputs: a record a UDF emits to output NAME goes to topic {@code <prefix>.NAME}, keyed by camera, tied to
 * the frame's event; emitting to an output the stage does not declare dead-letters the frame instead, so nothing of
 * it is published and the counts still hold.
 */
class NamedOutputsTest {

    private static final Instant NOW = Instant.parse("2026-12-01T02:30:00Z");
    private static final String PIPELINES = """
            pipelines:
              - name: declared
                cameras: [lobby]
                stages:
                  - udf: emitter
                    outputs: [sneaky]
              - name: default
                cameras: ["*"]
                stages: [emitter]
            """;

    private static TopologyHarness harness;

    @BeforeAll
    static void start() {
        harness = new TopologyHarness("named", NOW);
    }

    @AfterAll
    static void stop() {
        harness.close();
    }

    @Test
    void aDeclaredOutputGoesToItsTopicAndAnUndeclaredOneDeadLettersTheFrame() {
        Pipelines pipelines = PipelinesFile.parse(PIPELINES, "pipelines.yaml");
        try (PipelineUdfs udfs = PipelineUdfs.open(pipelines, Map.of("emitter", UdfDeployment.of("emitter", "1",
                EMITTER)), FaceDetector.none(), UdfConfig.defaults());
                TopologyTestDriver driver = harness.driver(udfs)) {
            TestInputTopic<String, Frame> frames = harness.frames(driver);
            TestOutputTopic<String, DetectionEvent> detections = harness.detections(driver);
            TestOutputTopic<String, DeadLetter> deadLetters = harness.deadLetters(driver);
            TestOutputTopic<String, UdfOutputRecord> sneaky = harness.outputs(driver, "sneaky");

            frames.pipeInput("lobby", TopologyHarness.blankFrame("lobby", "declared-1", NOW));
            frames.pipeInput("yard", TopologyHarness.blankFrame("yard", "undeclared-1", NOW));

            DetectionEvent event = detections.readValue();
            assertThat(event.getFrameId()).isEqualTo("declared-1");
            assertThat(detections.isEmpty()).isTrue();
            TestRecord<String, UdfOutputRecord> output = sneaky.readRecord();
            assertThat(output.key()).isEqualTo("lobby");
            assertThat(output.value().getEventId()).isEqualTo(event.getEventId());
            assertThat(output.value().getFrameId()).isEqualTo("declared-1");
            assertThat(output.value().getOutput()).isEqualTo("sneaky");
            assertThat(output.value().getContentType()).isEqualTo("application/json");
            assertThat(StandardCharsets.UTF_8.decode(output.value().getPayload()).toString()).isEqualTo("{}");
            assertThat(output.value().getUdf().getName()).isEqualTo("emitter");
            assertThat(output.value().getPipeline()).isEqualTo("declared");
            assertThat(sneaky.isEmpty()).as("the undeclared emit published nothing").isTrue();
            DeadLetter letter = deadLetters.readValue();
            assertThat(letter.getFrameId()).isEqualTo("undeclared-1");
            assertThat(letter.getReasonCode()).isEqualTo("UNDECLARED_OUTPUT");
            assertThat(letter.getUdf().getName()).isEqualTo("emitter");
            assertThat(letter.getMessage()).isEqualTo("emitter@1 emitted to output sneaky, which stage 1 of pipeline "
                    + "default does not declare: add it to the stage's outputs: in the pipelines file");
            assertThat(letter.getValue()).as("the frame is kept for a replay once declared").isNotNull();
            assertThat(deadLetters.isEmpty()).isTrue();
        }
    }

    /** A UDF assembled by hand whose {@code on_frame} emits {@code {}} to output "sneaky" and returns emitted. */
    private static final byte[] EMITTER = {
        0, 'a', 's', 'm', 1, 0, 0, 0,
        // types: 0 (i32, i32, i32, i32) -> (), 1 (i32) -> i32, 2 () -> i32
        1, 17, 3, 0x60, 4, 0x7f, 0x7f, 0x7f, 0x7f, 0, 0x60, 1, 0x7f, 1, 0x7f, 0x60, 0, 1, 0x7f,
        // imports: sightline.emit_record (function 0)
        2, 25, 1, 9, 's', 'i', 'g', 'h', 't', 'l', 'i', 'n', 'e',
        11, 'e', 'm', 'i', 't', '_', 'r', 'e', 'c', 'o', 'r', 'd', 0, 0,
        // functions: 1 abi_version of type 2, 2 on_frame of type 1
        3, 3, 2, 2, 1,
        // memory: one, 1 page
        5, 3, 1, 0, 1,
        // exports: "abi_version" = function 1, "on_frame" = function 2
        7, 26, 2,
        11, 'a', 'b', 'i', '_', 'v', 'e', 'r', 's', 'i', 'o', 'n', 0, 1,
        8, 'o', 'n', '_', 'f', 'r', 'a', 'm', 'e', 0, 2,
        // code: abi_version = 1; on_frame = emit_record(0, 6, 8, 2); 0
        10, 21, 2, 4, 0, 0x41, 1, 0x0b,
        14, 0, 0x41, 0, 0x41, 6, 0x41, 8, 0x41, 2, 0x10, 0, 0x41, 0, 0x0b,
        // data at 0: "sneaky", two zero bytes, "{}"
        11, 16, 1, 0, 0x41, 0, 0x0b, 10, 's', 'n', 'e', 'a', 'k', 'y', 0, 0, '{', '}',
    };
}
