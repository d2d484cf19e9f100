package io.sightline.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.utils.Utils;
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
                "--assets", assets.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode result = new ObjectMapper().readTree(run.out());
        assertThat(result.get("frames").asInt()).isEqualTo(4);
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
    void theBareLoopsHalvesCountAsOneLoopAllFramesOverAllTheirTime() {
        var before = new BenchCommand.BareHalf(100, 10.0, List.of(90.0, 100.0, 110.0), 2000);
        var after = new BenchCommand.BareHalf(100, 5.0, List.of(40.0, 50.0), 1000);

        BenchReport.Bare bare = BenchCommand.combine(before, after);

        assertThat(bare.framesPerSecond()).isCloseTo(200 / 15.0, within(1e-9));
        assertThat(bare.beforeFramesPerSecond()).isCloseTo(10.0, within(1e-9));
        assertThat(bare.afterFramesPerSecond()).isCloseTo(20.0, within(1e-9));
        assertThat(bare.inferenceMs()).isEqualTo(90.0);
        assertThat(bare.cpuMsPerFrame()).isCloseTo(15.0, within(1e-9));
    }

    @Test
    void spreadsCamerasOverEveryPartition() {
        for (int partitions = 1; partitions <= 8; partitions++) {
            List<String> cameras = BenchCommand.oneCameraPerPartition(partitions);
            Set<Integer> used = new HashSet<>();
            cameras.forEach(camera -> used.add(
                    Utils.toPositive(Utils.murmur2(camera.getBytes(StandardCharsets.UTF_8))) % cameras.size()));
            assertThat(used).hasSize(partitions);
        }
    }

    @Test
    void throughputCountsOnlyWhileEveryThreadWasBusyNotTheWindDownAfter() {
        long second = 1_000_000_000L;
        // Finished in any order; 4 measured frames take 2 s from the first one done; the 5th, 9 s later, is the tail
        // one thread finished alone.
        List<Long> finished = List.of(2 * second, 0L, second, 11 * second, 3 * second / 2, second / 2);

        assertThat(BenchCommand.steadyRate(finished, 4)).isCloseTo(2.0, within(1e-9));
        assertThat(BenchCommand.steadyRate(finished, 5)).isCloseTo(5 / 11.0, within(1e-9));
        assertThat(BenchCommand.steadyRate(List.of(7L), 4)).isZero();
    }

    @Test
    void refusesZeroFramesInOneLine() {
        CommandRun run = CommandRun.of("bench", "--frames", "0", "--assets", CommandRun.assets().toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err().strip()).isEqualTo("sightline bench: --frames must be at least 1, got 0");
    }
}
