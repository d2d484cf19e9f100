package io.sightline.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * `sightline bench udf` on tiny numbers with the real MTCNN (recorded once) and the real modules. No speed is
 * asserted (the machine is shared): only that every module ran, did the real work and every figure is there.
 */
class BenchUdfCommandTest {

    @Test
    void measuresFaceAnnotateBothWaysAndTheSdkExamplesOnReplayedFaces() throws Exception {
        Path assets = CommandRun.assets();
        CommandRun run = CommandRun.of("bench", "udf", "--image", assets.resolve("images/tf-mtcnn-test.jpg").toString(),
                "--frames", "3", "--instances", "4", "--warmup", "1", "--json", "--assets", assets.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode result = new ObjectMapper().readTree(run.out());
        assertThat(result.get("width").asInt()).isEqualTo(498);
        int replayed = result.get("replayedFaces").asInt();
        assertThat(replayed).isPositive();
        List<String> modules = new ArrayList<>();
        for (JsonNode module : result.get("modules")) {
            modules.add(module.get("name").asText() + ", " + module.get("compiled").asText());
            assertThat(module.get("faces").asInt()).isPositive().isLessThanOrEqualTo(replayed);
            for (String stat : List.of("frameMs", "instanceMs", "decodeMs", "encodeMs")) {
                JsonNode value = module.get(stat);
                assertThat(value.get("p50").asDouble()).as(stat).isGreaterThanOrEqualTo(0)
                        .isLessThanOrEqualTo(value.get("p99").asDouble());
            }
            assertThat(module.get("frameMs").get("p50").asDouble()).isPositive();
        }
        assertThat(modules).containsExactly("face-annotate, build time", "face-annotate, run time",
                "face-box (Rust SDK), run time", "face-box (C SDK), run time");
        // The SDK examples keep every face; face-annotate keeps the confident ones.
        assertThat(result.get("modules").get(2).get("faces").asInt()).isEqualTo(replayed);
        assertThat(result.get("modules").get(3).get("faces").asInt()).isEqualTo(replayed);
        assertThat(result.get("modules").get(1).get("loadMs").asDouble()).isPositive();
        assertThat(result.get("targets").get("frameMs").asDouble()).isEqualTo(2.0);
        assertThat(result.get("targets").has("instanceMet")).isTrue();
    }
}
