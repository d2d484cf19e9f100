package io.sightline.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `--pipelines FILE` fails fast with the file, line and fix, before any broker is contacted; detect runs one. */
class PipelinesOptionTest {

    @TempDir
    Path tmp;

    @Test
    void processRefusesAPipelinesFileWithACameraServedTwiceBeforeContactingTheBroker() throws Exception {
        Path file = Files.writeString(tmp.resolve("pipelines.yaml"), """
                pipelines:
                  - name: entrance
                    cameras: [door-1]
                    stages: [face-annotate]
                  - name: default
                    cameras: ["*", door-1]
                    stages: [face-annotate]
                """);

        CommandRun run = CommandRun.of("process", "--pipelines", file.toString(), "--bootstrap-servers",
                "127.0.0.1:1", "--registry-url", "http://127.0.0.1:1");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err().strip()).isEqualTo("sightline process: " + file + ": camera door-1 is served by "
                + "pipelines entrance (line 2) and default (line 5): list each camera in one pipeline only");
    }

    @Test
    void processRefusesUdfAndPipelinesTogether() throws Exception {
        Path file = Files.writeString(tmp.resolve("p.yaml"), "pipelines:\n  - {name: d, cameras: ['*'], "
                + "stages: [face-annotate]}\n");

        CommandRun run = CommandRun.of("process", "--pipelines", file.toString(), "--udf", "face-annotate",
                "--bootstrap-servers", "127.0.0.1:1", "--registry-url", "http://127.0.0.1:1");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--udf and --pipelines both choose what runs: give one");
    }

    @Test
    void detectRunsTheNamedPipelineAndRefusesAUdfThatIsNotBundled() throws Exception {
        Path file = Files.writeString(tmp.resolve("pipelines.yaml"), """
                pipelines:
                  - name: annotate
                    cameras: [door]
                    stages:
                      - udf: face-annotate
                  - name: default
                    cameras: ["*"]
                    stages: [my-filter, face-annotate]
                """);
        Path image = CommandRun.assets().resolve("images/tf-mtcnn-test.jpg");

        CommandRun annotate = CommandRun.of("detect", image.toString(), "--pipelines", file.toString(),
                "--pipeline", "annotate", "--json", "--assets", CommandRun.assets().toString());
        CommandRun fallback = CommandRun.of("detect", image.toString(), "--pipelines", file.toString(),
                "--assets", CommandRun.assets().toString());

        assertThat(annotate.exitCode()).as(annotate.err()).isZero();
        List<JsonNode> results = DetectCommandTest.parseLines(annotate.out());
        assertThat(results).singleElement().satisfies(result -> {
            assertThat(result.get("pipeline").asText()).isEqualTo("annotate");
            assertThat(result.get("faces")).hasSize(6);
            assertThat(result.at("/udf/name").asText()).isEqualTo("face-annotate");
            assertThat(result.get("outputs")).isEmpty();
        });
        assertThat(fallback.exitCode()).isEqualTo(2);
        assertThat(fallback.err().strip()).startsWith("sightline detect: " + file + " line 8: pipeline default "
                + "stage 1 (my-filter): unknown UDF my-filter: detect runs without a broker, so only bundled UDFs (")
                .contains("face-annotate")
                .endsWith("); test a module file with `sightline udf test FILE.wasm IMAGE...`");
    }

    @Test
    void detectRunsAStatefulPipelineOverTheImagesAsOneCameraAndWritesItsAlerts() throws Exception {
        Path file = Files.writeString(tmp.resolve("pipelines.yaml"), """
                pipelines:
                  - name: crowd
                    cameras: ["*"]
                    stages:
                      - face-annotate
                      - udf: crowd-alert
                        config: {minFaces: 5, frames: 3}
                        outputs: [alerts]
                """);
        Path images = Files.createDirectories(tmp.resolve("frames"));
        for (int i = 1; i <= 4; i++) {
            Files.copy(CommandRun.assets().resolve("images/tf-mtcnn-test.jpg"), images.resolve("f" + i + ".jpg"));
        }
        Path out = tmp.resolve("out");

        CommandRun run = CommandRun.of("detect", images.toString(), "--pipelines", file.toString(), "--json",
                "--out", out.toString(), "--assets", CommandRun.assets().toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        List<JsonNode> results = DetectCommandTest.parseLines(run.out());
        assertThat(results).extracting(r -> r.get("outputs").size()).containsExactly(0, 0, 1, 0);
        JsonNode alert = results.get(2).get("outputs").get(0);
        assertThat(alert.get("output").asText()).isEqualTo("alerts");
        assertThat(alert.at("/udf/name").asText()).isEqualTo("crowd-alert");
        assertThat(alert.at("/json/frameId").asText()).isEqualTo("f3");
        assertThat(alert.at("/json/faces").asInt()).isEqualTo(6);
        assertThat(results).allSatisfy(result -> {
            assertThat(result.get("pipeline").asText()).isEqualTo("crowd");
            assertThat(result.get("faces")).hasSize(6);
            assertThat(result.at("/udf/name").asText()).isEqualTo("face-annotate");
        });
        assertThat(new ObjectMapper().readTree(
                out.resolve("f3.alerts.json").toFile()).get("frameId").asText()).isEqualTo("f3");
        assertThat(out.resolve("f3.png")).exists();
    }

    @Test
    void aConfigTheUdfRefusesStopsTheCommandNamingTheStage() throws Exception {
        Path file = Files.writeString(tmp.resolve("pipelines.yaml"), """
                pipelines:
                  - name: default
                    cameras: ["*"]
                    stages:
                      - udf: crowd-alert
                        config: {minFaces: 0}
                """);

        CommandRun run = CommandRun.of("detect", CommandRun.assets().resolve("images/tf-mtcnn-test.jpg").toString(),
                "--pipelines", file.toString(), "--assets", CommandRun.assets().toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).startsWith("sightline detect: " + file + " line 5: pipeline default stage 1 "
                + "(crowd-alert): crowd-alert@").contains("init returned error status 2 (check the stage's config:)");
    }
}
