package io.sightline.stream;

import io.sightline.model.FaceDetector;
import io.sightline.schemas.Topics;
import io.sightline.udf.UdfConfig;
import io.sightline.udf.UdfDeployment;
import io.sightline.udf.UdfDeploymentException;
import io.sightline.udf.UdfRuntime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The UDFs of every pipeline stage, each switchable while the stream runs: one {@link ActiveUdf} per stage, made
 * from the latest deployment of its UDF's name, else the bundled UDF of that name, with the stage's config. As a
 * {@link UdfDeploymentWatcher.Listener} it switches every stage running a name to each new deployment of it
 * (compiled on the watcher's thread, never a stream thread); a module refused at load leaves the running version.
 * Processors take {@link #chain} per pipeline. Owns the runtimes.
 */
public final class PipelineUdfs implements UdfDeploymentWatcher.Listener, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PipelineUdfs.class);

    private final Pipelines pipelines;
    private final Map<String, List<ActiveUdf>> stages;
    private final FaceDetector detector;
    private final UdfConfig config;

    private PipelineUdfs(Pipelines pipelines, Map<String, List<ActiveUdf>> stages, FaceDetector detector,
            UdfConfig config) {
        this.pipelines = pipelines;
        this.stages = stages;
        this.detector = detector;
        this.config = config;
    }

    /**
     * Loads every stage's UDF. Fails naming the pipelines file, the stage and what to fix when a UDF is neither
     * deployed nor bundled, or its module or config is refused.
     *
     * @param deployed the latest deployment of each name, from {@link UdfDeploymentWatcher#catchUp}
     * @param detector borrowed: close it after this
     */
    public static PipelineUdfs open(Pipelines pipelines, Map<String, UdfDeployment> deployed, FaceDetector detector,
            UdfConfig config) {
        pipelines.requireKnownUdfs(name -> deployed.containsKey(name) || UdfRuntime.bundledNames().contains(name),
                "use a bundled UDF or deploy it first with `sightline udf deploy NAME FILE.wasm` (bundled: "
                        + String.join(", ", new TreeSet<>(UdfRuntime.bundledNames())) + "; deployed: "
                        + (deployed.isEmpty() ? "none" : String.join(", ", new TreeSet<>(deployed.keySet()))) + ")");
        Map<String, List<ActiveUdf>> stages = new LinkedHashMap<>();
        PipelineUdfs udfs = new PipelineUdfs(pipelines, stages, detector, config);
        try {
            for (Pipeline pipeline : pipelines.pipelines()) {
                List<ActiveUdf> active = new ArrayList<>();
                stages.put(pipeline.name(), active);
                for (Pipeline.Stage stage : pipeline.stages()) {
                    active.add(new ActiveUdf(udfs.initial(pipeline, stage, deployed.get(stage.udf()))));
                }
            }
            return udfs;
        } catch (RuntimeException e) {
            udfs.close();
            throw e;
        }
    }

    /** One pipeline, {@code default}, of one switchable UDF for every camera: for tests and tools. */
    public static PipelineUdfs single(ActiveUdf udf) {
        Pipelines pipelines = Pipelines.single(udf.info().name());
        return new PipelineUdfs(pipelines, Map.of(Pipelines.DEFAULT_PIPELINE, List.of(udf)), null, null);
    }

    public Pipelines pipelines() {
        return pipelines;
    }

    /** The stages of a pipeline, switchable. */
    public List<ActiveUdf> stages(String pipeline) {
        return stages.get(pipeline);
    }

    /**
     * Whether some stage of {@code pipeline}, as deployed now, keeps per-camera state: the pipeline must then see each
     * camera's frames one at a time, in order.
     */
    public boolean keepsState(Pipeline pipeline) {
        return stages(pipeline.name()).stream().anyMatch(stage -> stage.current().keepsState());
    }

    /** Instances of the pipeline's stages for one processor (or one tool's thread); close it when done. */
    public PipelineChain chain(Pipeline pipeline) {
        return new PipelineChain(pipeline, stages.get(pipeline.name()));
    }

    private UdfRuntime initial(Pipeline pipeline, Pipeline.Stage stage, UdfDeployment deployment) {
        if (deployment != null) {
            try {
                return load(stage, deployment);
            } catch (UdfDeploymentException | IllegalArgumentException e) {
                if (!UdfRuntime.bundledNames().contains(stage.udf())) {
                    throw new IllegalArgumentException(pipelines.where(pipeline, stage) + ": the deployment "
                            + deployment.name() + "@" + deployment.version() + " is refused: " + e.getMessage(), e);
                }
                LOG.warn("{}: the deployment {}@{} is refused ({}); running the bundled {}",
                        pipelines.where(pipeline, stage), deployment.name(), deployment.version(), e.getMessage(),
                        stage.udf());
            }
        }
        try {
            return bundled(stage).orElseThrow();
        } catch (UdfDeploymentException | IllegalArgumentException e) {
            throw new IllegalArgumentException(pipelines.where(pipeline, stage) + ": " + e.getMessage()
                    + (stage.configJson().isPresent() ? " (check the stage's config:)" : ""), e);
        }
    }

    /** The deployed module, with the stage's own config when it has one, else the config it was deployed with. */
    private UdfRuntime load(Pipeline.Stage stage, UdfDeployment deployment) {
        UdfDeployment configured = stage.configJson().map(deployment::withConfig).orElse(deployment);
        return UdfRuntime.load(configured, detector, config);
    }

    private Optional<UdfRuntime> bundled(Pipeline.Stage stage) {
        if (!UdfRuntime.bundledNames().contains(stage.udf())) {
            return Optional.empty();
        }
        return Optional.of(UdfRuntime.bundled(stage.udf(), stage.configJson().orElse(UdfDeployment.NO_CONFIG),
                detector, config));
    }

    /** A new deployment of a name: every stage running it switches, unless the module is refused. */
    @Override
    public void deployed(UdfDeployment deployment) {
        forEachStage(deployment.name(), (pipeline, stage, active) -> {
            long started = System.nanoTime();
            UdfRuntime runtime;
            try {
                runtime = load(stage, deployment);
            } catch (UdfDeploymentException | IllegalArgumentException e) {
                LOG.warn("UDF deployment of {} ({}@{}) refused for {}, the running version stays: {}",
                        deployment.name(), deployment.name(), deployment.version(), pipelines.where(pipeline, stage),
                        e.getMessage());
                return;
            }
            LOG.info("UDF {} loaded in {} ms", runtime.info().label(), (System.nanoTime() - started) / 1_000_000);
            active.switchTo(runtime);
            LOG.info("UDF {} switched to {} (sha256 {}) in pipeline {}", deployment.name(), runtime.info().label(),
                    runtime.info().sha256(), pipeline.name());
        });
    }

    /** A removed deployment: stages running the name go back to the bundled UDF of that name, if there is one. */
    @Override
    public void removed(String name) {
        forEachStage(name, (pipeline, stage, active) -> {
            Optional<UdfRuntime> bundled;
            try {
                bundled = bundled(stage);
            } catch (UdfDeploymentException | IllegalArgumentException e) {
                LOG.warn("UDF {} removed, and its bundled version is refused for {} ({}); {} keeps running", name,
                        pipelines.where(pipeline, stage), e.getMessage(), active.info().label());
                return;
            }
            bundled.ifPresentOrElse(runtime -> {
                active.switchTo(runtime);
                LOG.info("UDF {} removed; running bundled {} (sha256 {}) in pipeline {}", name,
                        runtime.info().label(), runtime.info().sha256(), pipeline.name());
            }, () -> LOG.warn("UDF {} removed, and there is no bundled UDF of that name; {} keeps running in "
                    + "pipeline {}", name, active.info().label(), pipeline.name()));
        });
    }

    private interface StageAction {
        void apply(Pipeline pipeline, Pipeline.Stage stage, ActiveUdf active);
    }

    private void forEachStage(String name, StageAction action) {
        if (detector == null) {
            throw new IllegalStateException("these pipeline UDFs were built from fixed runtimes and load nothing");
        }
        for (Pipeline pipeline : pipelines.pipelines()) {
            List<Pipeline.Stage> pipelineStages = pipeline.stages();
            for (int i = 0; i < pipelineStages.size(); i++) {
                if (pipelineStages.get(i).udf().equals(name)) {
                    action.apply(pipeline, pipelineStages.get(i), stages.get(pipeline.name()).get(i));
                }
            }
        }
    }

    /** Closes every stage's runtimes; close the processors using them first. */
    @Override
    public void close() {
        stages.values().forEach(active -> active.forEach(ActiveUdf::close));
    }

    /** One line per pipeline: its stages as they run now, its cameras and where its outputs go. */
    public String describe(Topics topics) {
        StringBuilder lines = new StringBuilder();
        for (Pipeline pipeline : pipelines().pipelines()) {
            List<String> stages = new ArrayList<>();
            for (ActiveUdf stage : stages(pipeline.name())) {
                stages.add(stage.info().label() + " (sha256 " + stage.info().sha256().substring(0, 12) + ")");
            }
            lines.append("  pipeline ").append(pipeline.name()).append(" = [").append(String.join(", ", stages))
                    .append("] for cameras ").append(String.join(", ", new TreeSet<>(pipeline.cameras())));
            if (!pipeline.outputs().isEmpty()) {
                lines.append("; outputs to ").append(String.join(", ",
                        pipeline.outputs().stream().sorted().map(topics::output).toList()));
            }
            lines.append(System.lineSeparator());
        }
        return lines.toString();
    }
}
