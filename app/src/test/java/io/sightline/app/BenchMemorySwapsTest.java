package io.sightline.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** `bench memory --swaps N` switches the real MTCNN session N times while two threads detect, sampling after each. */
class BenchMemorySwapsTest {

    @Test
    void switchesTheModelTheAskedNumberOfTimesAndSamplesRssAfterEach() throws Exception {
        CommandRun run = CommandRun.of("bench", "memory", "--swaps", "4", "--inferences", "8", "--warmup", "2",
                "--threads", "2", "--assets", CommandRun.assets().toString(), "--json");

        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode result = new ObjectMapper().readTree(run.out());
        assertThat(result.get("swaps").asInt()).isEqualTo(4);
        assertThat(result.get("curve")).hasSize(5);
        assertThat(result.get("curve").get(4).get("inferences").asInt()).isEqualTo(8);
        assertThat(result.get("baselineRssMiB").asDouble()).isPositive();
        assertThat(result.get("endRssMiB").asDouble()).isPositive();
    }

    /**
     * Native memory only: the heap is fixed and touched up front, so RSS moves with TensorFlow's allocations; with
     * the launcher's two malloc arenas, glibc's default arenas left ≈ 130 MiB behind over 20 switches.
     */
    @Test
    void twentySwitchesLeaveNativeMemoryFlat() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        var command = new ProcessBuilder(java, "-Xms512m", "-Xmx512m", "-XX:+AlwaysPreTouch", "-cp",
                System.getProperty("java.class.path"), Sightline.class.getName(), "bench", "memory", "--swaps", "20",
                "--inferences", "40", "--warmup", "20", "--assets", CommandRun.assets().toString(), "--json");
        command.environment().put("MALLOC_ARENA_MAX", "2");
        command.redirectError(ProcessBuilder.Redirect.DISCARD);
        Process bench = command.start();
        String out = new String(bench.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(bench.waitFor(10, TimeUnit.MINUTES)).isTrue();

        assertThat(bench.exitValue()).as(out).isZero();
        JsonNode result = new ObjectMapper().readTree(out);
        double growth = result.get("endRssMiB").asDouble() - result.get("baselineRssMiB").asDouble();
        System.out.printf("bench memory --swaps 20: RSS %.1f -> %.1f MiB (%+.1f MiB)%n",
                result.get("baselineRssMiB").asDouble(), result.get("endRssMiB").asDouble(), growth);
        assertThat(result.get("swaps").asInt()).isEqualTo(20);
        assertThat(growth).as("RSS growth in MiB over 20 switches").isLessThan(48);
    }

    @Test
    void refusesMoreSwapsThanInferences() {
        CommandRun run = CommandRun.of("bench", "memory", "--swaps", "5", "--inferences", "4");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--swaps must not exceed --inferences");
    }
}
