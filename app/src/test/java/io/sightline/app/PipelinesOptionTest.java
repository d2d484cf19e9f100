package io.sightline.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
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
}
