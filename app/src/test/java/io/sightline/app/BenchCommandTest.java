package io.sightline.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * `sightline bench` end to end with real TensorFlow, Wasm and the in-process broker, on tiny numbers. Nothing here
 * asserts a speed: the machine is shared; only that every figure is there and consistent with the others.
 */
class BenchCommandTest {

    @Test
    void measuresBareLoopAndPipelineInOneRunAndPrintsTheContractFields() throws Exception {
        Path assets = CommandRun.assets();
        CommandRun run = CommandRun.of("bench", "--images", assets.resolve("images/tf-mtcnn-test.jpg").toString(),
                "--frames", "4", "--warmup", "1", "--threads", "2", "--min-face", "40", "--json",
                "--camera-ids", "a,b", "--assets", assets.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode result = new ObjectMapper().readTree(run.out());
        assertThat(result.get("frames").asInt()).isEqualTo(4);
        assertThat(result.get("cameras")).extracting(JsonNode::asText).containsExactly("a", "b");
        // 4 measured frames and the 8 behind them (4 per thread) all came back as events.
        assertThat(result.get("framesSent").asInt()).isEqualTo(12);
        assertThat(result.get("eventsMeasured").asInt()).isEqualTo(12);
        assertThat(result.get("deadLetters").asInt()).isZero();
        JsonNode busy = result.get("streamThreadBusy");
        assertThat(busy).hasSize(2);
        assertThat(busy).extracting(t -> t.get("thread").asText())
                .containsExactly("StreamThread-1", "StreamThread-2");
        // Some thread did the work; no thread used more than its core.
        assertThat(busy).anySatisfy(t -> assertThat(t.get("share").asDouble()).isPositive());
        assertThat(busy).allSatisfy(t -> assertThat(t.get("share").asDouble()).isBetween(0.0, 1.1));
        assertThat(result.get("threads").asInt()).isEqualTo(2);
        assertThat(result.get("minFace").asDouble()).isEqualTo(40.0);
        double bare = result.get("bareFramesPerSecond").asDouble();
        double pipeline = result.get("pipelineFramesPerSecond").asDouble();
        assertThat(bare).isPositive();
        assertThat(pipeline).isPositive();
        // The bare loop ran in two halves, before and after the pipeline; the whole lies between them.
        double before = result.get("bareBeforeFramesPerSecond").asDouble();
        double after = result.get("bareAfterFramesPerSecond").asDouble();
        assertThat(before).isPositive();
        assertThat(after).isPositive();
        assertThat(bare).isBetween(Math.min(before, after) - 0.01, Math.max(before, after) + 0.01);
        assertThat(result.get("ratio").asDouble()).isCloseTo(pipeline / bare, within(0.01));
        assertThat(result.get("bareCpuMsPerFrame").asDouble()).isPositive();
        assertThat(result.get("pipelineCpuMsPerFrame").asDouble()).isPositive();
        assertThat(result.get("cpuRatio").asDouble()).isCloseTo(
                result.get("bareCpuMsPerFrame").asDouble() / result.get("pipelineCpuMsPerFrame").asDouble(),
                within(0.01));
        JsonNode stages = result.get("stagesMs");
        for (String stage : List.of("decode", "udf", "inference", "encode", "kafka")) {
            assertThat(stages.get(stage)).as(stage).isNotNull();
            assertThat(stages.get(stage).asDouble()).as(stage).isGreaterThanOrEqualTo(0);
        }
        assertThat(stages.get("inference").asDouble()).isPositive();
        assertThat(result.get("p50Ms").asDouble()).isPositive()
                .isLessThanOrEqualTo(result.get("p99Ms").asDouble());
        assertThat(result.get("peakRssMiB").asLong()).isPositive();
        assertThat(result.get("complete").asBoolean()).isTrue();
    }

    @Test
    void refusesZeroFramesInOneLine() {
        CommandRun run = CommandRun.of("bench", "--frames", "0", "--assets", CommandRun.assets().toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err().strip()).isEqualTo("sightline bench: --frames must be at least 1, got 0");
    }
}
