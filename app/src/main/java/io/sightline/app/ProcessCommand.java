package io.sightline.app;

import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.sightline.metrics.MetricsEndpoint;
import io.sightline.metrics.SightlineMetrics;
import io.sightline.model.DetectionOptions;
import io.sightline.model.ModelInfo;
import io.sightline.model.ModelStore;
import io.sightline.stream.FollowedPipelines;
import io.sightline.stream.UdfDeploymentWatcher;
import io.sightline.stream.ModelActivationWatcher;
import io.sightline.stream.Pipelines;
import io.sightline.stream.ProcessorConfig;
import io.sightline.stream.ProcessorMetrics;
import io.sightline.stream.SightlineProcessor;
import io.sightline.stream.TopologySerdes;
import io.sightline.stream.UdfStack;
import io.sightline.udf.UdfConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.apache.kafka.streams.StreamsConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Runs the stream processor against an existing cluster until stopped. */
@Command(name = "process", mixinStandardHelpOptions = true,
        description = "Run the stream processor (frames -> each camera's pipeline of UDFs -> detections, annotated, "
                + "named outputs, dlq) until Ctrl-C.")
final class ProcessCommand implements Callable<Integer> {

    @Mixin
    KafkaOptions kafka;

    @Mixin
    AssetOptions assets;

    @Mixin
    MetricsOptions metrics;

    @Option(names = "--application-id", paramLabel = "ID", defaultValue = ProcessorConfig.DEFAULT_APPLICATION_ID,
            description = "Kafka Streams application id; instances with the same id share the work (default: ${DEFAULT-VALUE}).")
    String applicationId;

    @Option(names = "--threads", paramLabel = "N", description = "Stream threads (default: one per core).")
    Integer threads;

    /** --threads, else one stream thread per core this process may use. */
    private int streamThreads() {
        return threads != null ? threads : Runtime.getRuntime().availableProcessors();
    }

    @Mixin
    MinFaceOptions minFace;

    @Option(names = "--udf", paramLabel = "NAME",
            description = "Shorthand for a pipelines file of one pipeline, default = [NAME], for every camera: its "
                    + "latest deployment in the udfs topic (`udf deploy`), else the bundled UDF of that name "
                    + "(default without --pipelines: face-annotate).")
    String udfName;

    @Mixin
    PipelineOptions pipelineOptions;

    @Mixin
    ClockSkewOptions clockSkew;

    @Mixin
    SpreadOptions spread;

    @Mixin
    SnapshotOptions snapshots;

    @Mixin
    TrustOptions trust;

    @Option(names = "--state-dir", paramLabel = "DIR",
            description = "Keep the UDF state store here (one folder per instance) so a restart need not restore it "
                    + "from its changelog topic (default: a fresh temporary folder, restored from the changelog).")
    Path stateDir;

    @Option(names = "--exactly-once",
            description = "Exactly-once processing (Kafka transactions, EOS v2): a crash neither loses nor repeats an "
                    + "output for read_committed consumers; outputs become visible at each commit (default: at least once).")
    boolean exactlyOnce;

    @Option(names = {"-D", "--kafka"}, paramLabel = "KEY=VALUE", split = EnvironmentDefaults.ENTRY_SEPARATOR,
            splitSynopsisLabel = ",",
            description = "Kafka Streams / client setting passed through as is, e.g. -D processing.guarantee=exactly_once_v2.")
    Map<String, String> kafkaOverrides = new LinkedHashMap<>();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Pipelines pipelines = pipelines();
        var registry = SightlineMetrics.create("process");
        UdfDeploymentWatcher.Trust deploymentTrust = trust.trust(registry);
        kafka.requireReachable(kafka.topics().all());
        kafka.ensureControlTopic(kafka.topics().udfs());
        kafka.ensureControlTopic(kafka.topics().models());
        kafka.ensureOutputTopics(pipelines.outputTopics());
        kafka.requireWriteTime(Stream.concat(kafka.topics().all().stream(),
                pipelines.outputTopics().stream().map(kafka.topics()::output)).toList());
        Map<String, String> overrides = new LinkedHashMap<>();
        if (exactlyOnce) {
            overrides.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        }
        if (stateDir != null) {
            overrides.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        }
        overrides.putAll(kafkaOverrides);
        var config = new ProcessorConfig(applicationId, kafka.bootstrapServers, kafka.topics(), streamThreads(),
                kafka.limits(), overrides, clockSkew.limits(), spread.spread());
        var serdes = kafka.serdes();
        Shutdown shutdown = new Shutdown();
        var err = spec.commandLine().getErr();
        try {
            UdfConfig udfConfig = UdfStack.udfConfig(minFace.detection(), config.limits(), snapshots.encoding());
            try (ModelStore models = ModelStore.open(assets.modelStoreConfig());
                    ModelActivationWatcher activations = ModelActivationWatcher.start(config.bootstrapServers(),
                            config.topics().models(), models, Duration.ofSeconds(kafka.startupTimeoutSeconds));
                    FollowedPipelines udfs = FollowedPipelines.open(config.bootstrapServers(), config.topics().udfs(),
                            serdes, pipelines, models.faceDetector(), udfConfig,
                            Duration.ofSeconds(kafka.startupTimeoutSeconds), deploymentTrust);
                    SightlineProcessor processor = SightlineProcessor.start(config,
                            ProcessorMetrics.metered(TopologySerdes.from(serdes), registry), udfs.udfs());
                    KafkaStreamsMetrics streamsMetrics = new KafkaStreamsMetrics(processor.kafkaStreams());
                    MetricsEndpoint endpoint = metrics.serve(registry, err)) {
                streamsMetrics.bindTo(registry);
                processor.unexpectedStop().thenRun(shutdown::request);
                processor.awaitRunning(Duration.ofMinutes(2));
                ModelInfo model = models.faceDetector().model();
                err.printf("Processing %s with %d thread(s), %s, model %s@%s (sha256 %s), following %s and %s; "
                        + "Ctrl-C stops.%n%s", config.topics().frames(), streamThreads(),
                        exactlyOnce ? "exactly once" : "at least once", model.name(), model.version(),
                        model.sha256().substring(0, 12), config.topics().udfs(), config.topics().models(),
                        udfs.udfs().describe(config.topics()));
                err.flush();
                shutdown.awaitRequest();
                if (processor.unexpectedStop().isDone()) {
                    err.println("sightline process: the stream processor stopped ("
                            + processor.unexpectedStop().join() + "); exiting with 1 so a supervisor restarts it");
                    return 1;
                }
            }
            err.println("sightline process: stopped cleanly (work committed, partitions handed over)");
            err.flush();
            return 0;
        } finally {
            shutdown.finished();
        }
    }

    /** The pipelines file, or {@code --udf NAME} as a one-stage default pipeline; both at once is a mistake. */
    private Pipelines pipelines() {
        if (udfName != null && pipelineOptions.file != null) {
            throw new IllegalArgumentException("--udf and --pipelines both choose what runs: give one (--udf NAME is "
                    + "a pipelines file of one pipeline, default = [NAME])");
        }
        return udfName != null ? Pipelines.single(udfName) : pipelineOptions.pipelines();
    }
}
