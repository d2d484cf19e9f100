package io.sightline.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sightline.model.DetectionOptions;
import io.sightline.model.ModelInfo;
import io.sightline.model.ModelStore;
import io.sightline.schemas.SightlineSerdes;
import io.sightline.schemas.avro.UdfDeploymentRecord;
import io.sightline.stream.ModelActivationWatcher;
import io.sightline.stream.PipelineUdfs;
import io.sightline.stream.Pipelines;
import io.sightline.stream.ProcessorConfig;
import io.sightline.stream.ReplayRange;
import io.sightline.stream.SnapshotEncoding;
import io.sightline.stream.TopologySerdes;
import io.sightline.stream.UdfDeploymentWatcher;
import io.sightline.stream.UdfStack;
import io.sightline.udf.UdfConfig;
import io.sightline.udf.UdfDeployment;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** Reprocesses a time range of the frames topic into a replay's own topics, then exits. */
@Command(name = "range", mixinStandardHelpOptions = true,
        description = {"Reprocess the frames captured between --from and --to (ISO-8601) into PREFIX.detections"
                + ".replay.ID, .annotated.replay.ID and .dlq.replay.ID, so live consumers are not disturbed; runs "
                + "until the range is done, with progress, and prints a summary.",
                "The same range replayed twice gives the same events but for processedAt (replayed events carry "
                        + "zero timings)."})
final class ReplayRangeCommand implements Callable<Integer> {

    @Mixin
    KafkaOptions kafka;

    @Mixin
    AssetOptions assets;

    @Option(names = "--from", paramLabel = "TIME", required = true,
            description = "Start of the range, inclusive, e.g. 2026-11-30T08:00:00Z.")
    String from;

    @Option(names = "--to", paramLabel = "TIME", required = true, description = "End of the range, inclusive.")
    String to;

    @Option(names = "--camera", paramLabel = "ID", description = "Only this camera's frames (default: all cameras).")
    String camera;

    @Option(names = "--id", paramLabel = "NAME", required = true,
            description = "Name of the replay: its topics end in .replay.NAME and its consumer group is "
                    + "sightline-replay-NAME (running it again starts over).")
    String id;

    @Mixin
    PipelineOptions pipelineOptions;

    @Option(names = "--udf", paramLabel = "NAME",
            description = "Shorthand for a pipelines file of one pipeline, default = [NAME], for every camera "
                    + "(default without --pipelines: face-annotate).")
    String udfName;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "1", description = "Stream threads (default: ${DEFAULT-VALUE}).")
    int threads;

    @Mixin
    MinFaceOptions minFace;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "3600",
            description = "Give up if the range is not done after this long (default: ${DEFAULT-VALUE}).")
    long timeoutSeconds;

    @Mixin
    ClockSkewOptions clockSkew;

    @Mixin
    TrustOptions trust;

    @Option(names = "--lookback", paramLabel = "DURATION", defaultValue = "P1D",
            description = "Frames are found by capture time, which only the frame itself carries; the topic knows "
                    + "when each was written. A frame captured at --from can have been written this long before it, "
                    + "by a camera whose clock ran ahead, so the scan starts there (ISO-8601, default: "
                    + "${DEFAULT-VALUE}).")
    Duration lookback;

    @Option(names = "--json", description = "Print the summary as one JSON object.")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Instant start = instant("--from", from);
        Instant end = instant("--to", to);
        UdfDeploymentWatcher.Trust deploymentTrust = trust.trust();
        kafka.requireReachable(kafka.topics().all());
        kafka.requireWriteTime(List.of(kafka.topics().frames()));
        var plan = ReplayRange.plan(kafka.bootstrapServers, kafka.topics(), id, start, end,
                Optional.ofNullable(camera), lookback);
        PrintWriter err = spec.commandLine().getErr();
        err.printf("Replaying %s from %s to %s%s into %s: %d record(s) in range%n", kafka.topics().frames(), start,
                end, camera == null ? "" : " (camera " + camera + ")", plan.topics().detections(),
                plan.recordsInRange());
        err.flush();
        var config = ProcessorConfig.of(kafka.bootstrapServers, kafka.topics(), threads, kafka.limits())
                .withClockSkew(clockSkew.limits());
        var serdes = kafka.serdes();
        UdfConfig udfConfig = UdfStack.udfConfig(minFace.detection(), config.limits(),
                SnapshotEncoding.defaults());
        Pipelines pipelines = pipelines();
        long began = System.nanoTime();
        ReplayRange.Progress progress;
        String udfLabel;
        String modelLabel;
        try (ModelStore models = ModelStore.open(assets.modelStoreConfig())) {
            // The version activated in the models topic, as `process` would run it; like the UDFs, it stays the same
            // for the whole range.
            ModelInfo model = ModelActivationWatcher.applyLatest(config.bootstrapServers(), config.topics().models(),
                    models, Duration.ofSeconds(kafka.startupTimeoutSeconds));
            modelLabel = model.name() + "@" + model.version();
            try (PipelineUdfs udfs = PipelineUdfs.open(pipelines, deployed(config, serdes, pipelines, deploymentTrust),
                    models.faceDetector(), udfConfig)) {
                // One version of every stage for the whole range: the replay does not follow new deployments.
                udfLabel = pipelines.pipelines().stream()
                        .map(pipeline -> pipeline.name() + " = " + udfs.stages(pipeline.name()).stream()
                                .map(stage -> stage.info().label() + " (sha256 " + stage.info().sha256() + ")")
                                .toList())
                        .collect(Collectors.joining("; "));
                var latest = new AtomicReference<ReplayRange.Progress>();
                try (var line = new Progress(err,
                        () -> ReplayRange.Progress.line(latest.get(), plan.recordsInRange(), began))) {
                    progress = ReplayRange.run(plan, config, TopologySerdes.from(serdes), udfs,
                            Duration.ofSeconds(timeoutSeconds), latest::set);
                }
            }
        }
        double seconds = (System.nanoTime() - began) / 1e9;
        var out = spec.commandLine().getOut();
        if (json) {
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("id", id);
            summary.put("from", start.toString());
            summary.put("to", end.toString());
            summary.put("camera", camera == null ? "" : camera);
            summary.put("recordsInRange", plan.recordsInRange());
            summary.put("replayed", progress.replayed());
            summary.put("skipped", progress.skipped());
            summary.put("seconds", seconds);
            summary.put("detectionsTopic", plan.topics().detections());
            summary.put("pipelines", udfLabel);
            summary.put("model", modelLabel);
            out.println(new ObjectMapper().writeValueAsString(summary));
        } else {
            out.printf("Replay %s done in %.1f s: %d frame(s) replayed with %s and model %s, %d skipped (other camera "
                    + "or time).%n  outputs: %s, %s, %s%n", id, seconds, progress.replayed(), udfLabel, modelLabel,
                    progress.skipped(), plan.topics().detections(), plan.topics().annotated(),
                    plan.topics().deadLetters());
        }
        out.flush();
        return 0;
    }

    /** The pipelines file, or {@code --udf NAME} as a one-stage default pipeline; both at once is a mistake. */
    private Pipelines pipelines() {
        if (udfName != null && pipelineOptions.file != null) {
            throw new IllegalArgumentException("--udf and --pipelines both choose what runs: give one");
        }
        return udfName != null ? Pipelines.single(udfName) : pipelineOptions.pipelines();
    }

    /** The latest deployment of every UDF the pipelines use, as the replay starts. */
    private Map<String, UdfDeployment> deployed(ProcessorConfig config, SightlineSerdes serdes, Pipelines pipelines,
            UdfDeploymentWatcher.Trust trust) {
        try (var watcher = new UdfDeploymentWatcher(config.bootstrapServers(), config.topics().udfs(),
                pipelines.udfNames(), serdes.deserializer(UdfDeploymentRecord.class), trust)) {
            return watcher.catchUp(Duration.ofSeconds(kafka.startupTimeoutSeconds));
        }
    }

    private Instant instant(String option, String value) {
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new ParameterException(spec.commandLine(), option + " must be an ISO-8601 instant such as "
                    + "2026-11-30T08:00:00Z, got '" + value + "'");
        }
    }
}
