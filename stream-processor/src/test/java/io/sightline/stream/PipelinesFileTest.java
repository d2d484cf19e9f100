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

    @Test
    void readsEachCamerasZonesAndLinesAndRefusesBadOnesWithTheirLine() {
        String head = "pipelines:\n  - name: d\n    cameras: [\"*\"]\n    stages: [face-annotate]\ncameras:\n";
        Pipelines pipelines = PipelinesFile.parse(head + """
                  door-1:
                    zones:
                      - {name: counter, polygon: [[0, 0], [100, 0], [100, 80]], loiter: 30}
                      - {name: hall, polygon: [[0, 0], [10, 0], [10, 10]], loiter: PT2M}
                    lines:
                      - {name: door, from: [320, 0], to: [320, 427]}
                """, "pipelines.yaml");
        var zones = pipelines.zonesOf("door-1");
        assertThat(zones.zones()).extracting(z -> z.loiter().orElseThrow())
                .containsExactly(java.time.Duration.ofSeconds(30), java.time.Duration.ofMinutes(2));
        assertThat(zones.lines().get(0).to().y()).isEqualTo(427);
        assertThat(pipelines.zonesOf("other").isEmpty()).isTrue();
        assertThat(pipelines.outputTopics()).containsExactly("tracks", "alerts");

        assertRefused(head + "  door-1:\n    zones:\n      - {name: z, polygon: [[0, 0], [1, 1]]}\n",
                "pipelines.yaml line 8: zone z needs a polygon of at least 3 points, has 2");
        assertRefused(head + "  door-1:\n    lines:\n      - {name: l, from: [0, 0], to: [0]}\n",
                "pipelines.yaml line 8: a point is [x, y], in pixels");
        assertRefused(head + "  door-1:\n    zones:\n      - {name: z, polygon: [[0,0],[1,0],[1,1]], loiter: soon}\n",
                "pipelines.yaml line 8: loiter is seconds (e.g. 30) or an ISO-8601 duration (e.g. PT2M), not soon");
        assertRefused(head + "  door-1:\n    doors: []\n",
                "pipelines.yaml line 7: unknown key doors in camera door-1: expected lines, zones");
        assertRefused(head + "  door-1:\n    lines:\n      - {name: a, from: [0, 0], to: [1, 1]}\n"
                + "      - {name: a, from: [0, 0], to: [2, 1]}\n",
                "pipelines.yaml line 7: camera door-1: two zones or lines are named a");
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
