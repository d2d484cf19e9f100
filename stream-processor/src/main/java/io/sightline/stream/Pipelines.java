package io.sightline.stream;

import io.sightline.schemas.Topics;
import io.sightline.tracking.CameraZones;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Which pipeline serves which camera, validated as a whole: unique names, no camera served twice, and exactly one
 * default pipeline ({@value Pipeline#ALL_CAMERAS}) for the cameras no pipeline lists. Read from a pipelines file with
 * {@link PipelinesFile}, or built in: {@link #defaults()}.
 *
 * @param source where the pipelines came from (a file name, or "built-in"), for messages
 */
public record Pipelines(List<Pipeline> pipelines, String source, Map<String, CameraZones> cameras) {

    public static final String DEFAULT_PIPELINE = "default";
    public static final String DEFAULT_UDF = "face-annotate";
    /** The output zone, line and loitering records go to, as crowd-alert's alerts do: {@code <prefix>.alerts}. */
    public static final String ZONE_ALERTS = "alerts";

    /** Each camera's zones and lines as JSON ({@link CameraZones#toJson}): what the dashboard draws. */
    public Map<String, String> zonesAsJson() {
        Map<String, String> json = new java.util.TreeMap<>();
        cameras.forEach((camera, zones) -> json.put(camera, zones.toJson()));
        return json;
    }

    /** The zones and lines of a camera; none when the file gives it none. */
    public CameraZones zonesOf(String camera) {
        return cameras.getOrDefault(camera, CameraZones.none());
    }

    /** Pipelines without zones or lines. */
    public Pipelines(List<Pipeline> pipelines, String source) {
        this(pipelines, source, Map.of());
    }

    public Pipelines {
        pipelines = List.copyOf(pipelines);
        cameras = Map.copyOf(cameras);
        Objects.requireNonNull(source, "source");
        Map<String, Pipeline> byName = new HashMap<>();
        Map<String, Pipeline> byCamera = new HashMap<>();
        Pipeline fallback = null;
        for (Pipeline pipeline : pipelines) {
            Pipeline twin = byName.putIfAbsent(pipeline.name(), pipeline);
            if (twin != null) {
                throw new IllegalArgumentException(source + ": two pipelines are named " + pipeline.name()
                        + (pipeline.line() > 0 ? " (lines " + twin.line() + " and " + pipeline.line() + ")" : "")
                        + ": give each pipeline its own name");
            }
            if (pipeline.isDefault()) {
                if (fallback != null) {
                    throw new IllegalArgumentException(source + ": pipelines " + fallback.name()
                            + Pipeline.Stage.at(fallback.line()) + " and " + pipeline.name()
                            + Pipeline.Stage.at(pipeline.line()) + " both serve \"" + Pipeline.ALL_CAMERAS
                            + "\": only one pipeline may be the default");
                }
                fallback = pipeline;
            }
            for (String camera : pipeline.cameras()) {
                Pipeline other = camera.equals(Pipeline.ALL_CAMERAS) ? null : byCamera.putIfAbsent(camera, pipeline);
                if (other != null) {
                    throw new IllegalArgumentException(source + ": camera " + camera + " is served by pipelines "
                            + other.name() + Pipeline.Stage.at(other.line()) + " and " + pipeline.name()
                            + Pipeline.Stage.at(pipeline.line()) + ": list each camera in one pipeline only");
                }
            }
        }
        if (fallback == null) {
            throw new IllegalArgumentException(source + ": no pipeline serves \"" + Pipeline.ALL_CAMERAS
                    + "\": add cameras: [\"" + Pipeline.ALL_CAMERAS + "\"] to the pipeline for cameras no other "
                    + "pipeline lists");
        }
    }

    /** Without a pipelines file: one pipeline, {@code default} = [face-annotate], for every camera. */
    public static Pipelines defaults() {
        return single(DEFAULT_UDF);
    }

    /** One pipeline, {@code default}, running one UDF on every camera ({@code process --udf NAME}). */
    public static Pipelines single(String udf) {
        return new Pipelines(List.of(Pipeline.forAllCameras(DEFAULT_PIPELINE, List.of(Pipeline.Stage.of(udf)))),
                "built-in");
    }

    /** The pipeline that serves the camera: the one listing it, else the default. */
    public Pipeline forCamera(String cameraId) {
        Pipeline fallback = null;
        for (Pipeline pipeline : pipelines) {
            if (pipeline.cameras().contains(cameraId)) {
                return pipeline;
            }
            if (pipeline.isDefault()) {
                fallback = pipeline;
            }
        }
        return fallback;
    }

    public Pipeline named(String name) {
        return pipelines.stream().filter(p -> p.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(source + " has no pipeline named " + name
                        + "; it has: " + String.join(", ", pipelines.stream().map(Pipeline::name).toList())));
    }

    /** Every UDF name any stage runs, in order of first use. */
    public Set<String> udfNames() {
        Set<String> names = new LinkedHashSet<>();
        pipelines.forEach(p -> p.stages().forEach(stage -> names.add(stage.udf())));
        return names;
    }

    /** Every named output any stage declares, each to be topic {@code <prefix>.<output>}. */
    public Set<String> outputs() {
        Set<String> outputs = new LinkedHashSet<>();
        pipelines.forEach(p -> outputs.addAll(p.outputs()));
        return outputs;
    }

    /**
     * Every output the processor running these pipelines writes under the topics' prefix besides detections,
     * annotated frames and dead letters: the tracker's {@code tracks}, {@code alerts} when a camera has zones or
     * lines, and each named output.
     */
    public Set<String> outputTopics() {
        Set<String> names = new LinkedHashSet<>();
        names.add(Topics.TRACKS);
        if (cameras.values().stream().anyMatch(zones -> !zones.isEmpty())) {
            names.add(ZONE_ALERTS);
        }
        names.addAll(outputs());
        return names;
    }

    /** Fails naming the first stage whose UDF is not in {@code known}, followed by {@code whatToDo}. */
    public void requireKnownUdfs(Predicate<String> known, String whatToDo) {
        for (Pipeline pipeline : pipelines) {
            for (Pipeline.Stage stage : pipeline.stages()) {
                if (!known.test(stage.udf())) {
                    throw new IllegalArgumentException(where(pipeline, stage) + ": unknown UDF " + stage.udf() + ": "
                            + whatToDo);
                }
            }
        }
    }

    /** The pipeline for cameras no pipeline lists. */
    public Pipeline defaultPipeline() {
        return pipelines.stream().filter(Pipeline::isDefault).findFirst().orElseThrow();
    }

    /** Only the named pipeline, serving every camera: what {@code detect --pipeline NAME} runs. */
    public Pipelines only(String name) {
        Pipeline pipeline = named(name);
        return new Pipelines(List.of(new Pipeline(pipeline.name(), pipeline.stages(), Set.of(Pipeline.ALL_CAMERAS),
                pipeline.line())), source, cameras);
    }

    /** "FILE line N: pipeline P stage K (UDF)": where a stage is, for messages. */
    public String where(Pipeline pipeline, Pipeline.Stage stage) {
        String line = stage.line() > 0 ? " line " + stage.line() : "";
        return source + line + ": pipeline " + pipeline.name() + " stage " + (pipeline.stages().indexOf(stage) + 1)
                + " (" + stage.udf() + ")";
    }
}
