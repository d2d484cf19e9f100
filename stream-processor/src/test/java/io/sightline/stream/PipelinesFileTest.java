package io.sightline.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sightline.udf.UdfRuntime;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The pipelines file: what it means, and that each mistake names the file, the line and what to fix. */
class PipelinesFileTest {

    private static final String EXAMPLE = """
            pipelines:
              - name: entrance
                cameras: [door-1, door-2]
                stages:
                  - udf: frame-sampler
                    config: {fps: 2, label: "front", exact: true, ratio: 0.5, none: null, list: [1, b]}
                  - face-annotate
              - name: default
                cameras: ["*"]
                stages:
                  - face-annotate
                  - udf: crowd-alert
                    config:
                      minFaces: 5
                      frames: 3
                    outputs: [alerts]
            """;

    @Test
    void readsNamedPipelinesTheirStagesConfigsOutputsAndCameras() {
        Pipelines pipelines = PipelinesFile.parse(EXAMPLE, "pipelines.yaml");

        assertThat(pipelines.pipelines()).extracting(Pipeline::name).containsExactly("entrance", "default");
        Pipeline entrance = pipelines.named("entrance");
        assertThat(entrance.cameras()).containsExactlyInAnyOrder("door-1", "door-2");
        assertThat(entrance.line()).isEqualTo(2);
        assertThat(entrance.stages()).containsExactly(
                new Pipeline.Stage("frame-sampler", Optional.of(
                        "{\"fps\":2,\"label\":\"front\",\"exact\":true,\"ratio\":0.5,\"none\":null,\"list\":[1,\"b\"]}"),
                        Set.of(), 5),
                new Pipeline.Stage("face-annotate", Optional.empty(), Set.of(), 7));
        Pipeline fallback = pipelines.named("default");
        assertThat(fallback.stages().get(1)).isEqualTo(new Pipeline.Stage("crowd-alert",
                Optional.of("{\"minFaces\":5,\"frames\":3}"), Set.of("alerts"), 12));
        assertThat(pipelines.forCamera("door-2").name()).isEqualTo("entrance");
        assertThat(pipelines.forCamera("parking").name()).isEqualTo("default");
        assertThat(pipelines.udfNames()).containsExactly("frame-sampler", "face-annotate", "crowd-alert");
        assertThat(pipelines.outputs()).containsExactly("alerts");
    }

    @Test
    void theExampleFileInTheRepositoryIsValid() {
        Pipelines example = PipelinesFile.read(Path.of("../examples/pipelines.yaml"));

        assertThat(example.pipelines()).extracting(Pipeline::name).containsExactly("entrance", "default", "parking");
        assertThat(example.outputs()).containsExactly("alerts", "blurred");
        example.requireKnownUdfs(UdfRuntime.bundledNames()::contains, "the example uses bundled UDFs only");
    }

    @Test
    void theBuiltInDefaultRunsFaceAnnotateOnEveryCamera() {
        Pipelines pipelines = Pipelines.defaults();

        assertThat(pipelines.pipelines()).hasSize(1);
        assertThat(pipelines.forCamera("any").name()).isEqualTo("default");
        assertThat(pipelines.forCamera("any").stages()).containsExactly(Pipeline.Stage.of("face-annotate"));
        assertThat(pipelines.outputs()).isEmpty();
    }

    @Test
    void refusesEachMistakeWithTheFileTheLineAndWhatToFix() {
        assertRefused("""
                pipelines:
                  - name: a
                    cameras: ["*"]
                    stages: [face-annotate]
                  - name: a
                    cameras: [door]
                    stages: [face-annotate]
                """, "pipelines.yaml: two pipelines are named a (lines 2 and 5): give each pipeline its own name");
        assertRefused("""
                pipelines:
                  - name: a
                    cameras: ["*", door]
                    stages: [face-annotate]
                  - name: b
                    cameras: [door]
                    stages: [face-annotate]
                """, "pipelines.yaml: camera door is served by pipelines a (line 2) and b (line 5): list each camera "
                + "in one pipeline only");
        assertRefused("""
                pipelines:
                  - name: a
                    cameras: [door]
                    stages: [face-annotate]
                """, "pipelines.yaml: no pipeline serves \"*\": add cameras: [\"*\"] to the pipeline for cameras no "
                + "other pipeline lists");
        assertRefused("""
                pipelines:
                  - name: a
                    cameras: ["*"]
                    stages:
                      - udf: crowd-alert
                        config: 5
                """, "pipelines.yaml line 6: config must be a mapping (a JSON object), e.g. config: {fps: 2}");
        assertRefused("""
                pipelines:
                  - name: a
                    cameras: ["*"]
                    stages:
                      - udf: crowd-alert
                        output: [alerts]
                """, "pipelines.yaml line 6: unknown key output in a stage: expected config, outputs, udf");
        assertRefused("""
                pipelines:
                  - name: a
                    cameras: ["*"]
                    stages: [face-annotate, face-annotate]
                """, "pipelines.yaml line 2: pipeline a runs UDF face-annotate twice (line 4): a UDF may appear once "
                + "per pipeline (its state is kept per pipeline and UDF)");
        assertRefused("""
                pipelines:
                  - name: a
                    cameras: ["*"]
                    stages:
                      - udf: crowd-alert
                        outputs: [detections]
                """, "pipelines.yaml line 5: output name 'detections' is taken by Sightline's own topic "
                + "<prefix>.detections: choose another name");
        assertRefused("""
                pipelines:
                  - name: a
                    cameras: ["*"]
                """, "pipelines.yaml line 2: pipeline a needs stages: a list of UDFs");
        assertRefused("pipelines:\n  - name: a\n   cameras: [\"*\"]\n",
                "pipelines.yaml line 3: not valid YAML");
        assertRefused("", "pipelines.yaml is empty: it needs a pipelines: list");
    }

    @Test
    void namesTheStageOfAnUnknownUdfAndWhatIsAvailable() {
        Pipelines pipelines = PipelinesFile.parse(EXAMPLE, "pipelines.yaml");

        assertThatThrownBy(() -> pipelines.requireKnownUdfs(Set.of("face-annotate", "crowd-alert")::contains,
                "deploy it first"))
                .hasMessage("pipelines.yaml line 5: pipeline entrance stage 1 (frame-sampler): unknown UDF "
                        + "frame-sampler: deploy it first");
    }

    private static void assertRefused(String yaml, String message) {
        assertThatThrownBy(() -> PipelinesFile.parse(yaml, "pipelines.yaml"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(message);
    }

    @Test
    void aPipelineNeedsStagesAndCameras() {
        assertThatThrownBy(() -> new Pipeline("p", List.of(), Set.of("*"), 0))
                .hasMessage("pipeline p has no stages: list at least one UDF");
    }
}
