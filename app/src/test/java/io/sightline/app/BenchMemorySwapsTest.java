package io.sightline.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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

    @Test
    void refusesMoreSwapsThanInferences() {
        CommandRun run = CommandRun.of("bench", "memory", "--swaps", "5", "--inferences", "4");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--swaps must not exceed --inferences");
    }
}
