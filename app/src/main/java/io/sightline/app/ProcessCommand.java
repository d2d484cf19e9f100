package io.sightline.app;

import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.sightline.dashboard.MetricsEndpoint;
import io.sightline.dashboard.SightlineMetrics;
import io.sightline.model.DetectionOptions;
import io.sightline.model.FaceDetector;
import io.sightline.model.ModelStore;
import io.sightline.schemas.SightlineSerdes;
import io.sightline.schemas.avro.UdfDeploymentRecord;
import io.sightline.stream.ActiveUdf;
import io.sightline.stream.ProcessorConfig;
import io.sightline.stream.ProcessorMetrics;
import io.sightline.stream.SightlineProcessor;
import io.sightline.stream.TopologySerdes;
import io.sightline.stream.UdfDeploymentWatcher;
import io.sightline.udf.UdfConfig;
import io.sightline.udf.UdfDeployment;
import io.sightline.udf.UdfRuntime;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.kafka.streams.StreamsConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Runs the stream processor against an existing cluster until stopped. */
@Command(name = "process", mixinStandardHelpOptions = true,
        description = "Run the stream processor (frames -> UDF chain -> detections, annotated, dlq) until Ctrl-C.")
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

    @Option(names = "--threads", paramLabel = "N", defaultValue = "1", description = "Stream threads (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--min-face", paramLabel = "N", defaultValue = "20", description = "Smallest face in pixels (default: ${DEFAULT-VALUE}).")
    float minFace;

    @Option(names = "--udf", paramLabel = "NAME", defaultValue = "face-annotate",
            description = "The UDF to run: its latest deployment in the udfs topic (`udf deploy`), else the bundled "
                    + "UDF of that name; a new deployment takes over between two records, without a restart "
                    + "(default: ${DEFAULT-VALUE}).")
    String udfName;

    @Option(names = "--exactly-once",
            description = "Exactly-once processing (Kafka transactions, EOS v2): a crash neither loses nor repeats an "
                    + "output for read_committed consumers; outputs become visible at each commit (default: at least once).")
    boolean exactlyOnce;

    @Option(names = {"-D", "--kafka"}, paramLabel = "KEY=VALUE",
            description = "Kafka Streams / client setting passed through as is, e.g. -D processing.guarantee=exactly_once_v2.")
    Map<String, String> kafkaOverrides = new LinkedHashMap<>();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        kafka.requireReachable(kafka.topics().all());
        kafka.ensureControlTopic(kafka.topics().udfs());
        Map<String, String> overrides = new LinkedHashMap<>();
        if (exactlyOnce) {
            overrides.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        }
        overrides.putAll(kafkaOverrides);
        var config = new ProcessorConfig(applicationId, kafka.bootstrapServers, kafka.topics(), threads,
                kafka.limits(), overrides);
        var serdes = SightlineSerdes.forUrls(kafka.registryUrl);
        var registry = SightlineMetrics.create("process");
        Shutdown shutdown = new Shutdown();
        var err = spec.commandLine().getErr();
        try {
            UdfConfig udfConfig = UdfStack.udfConfig(new DetectionOptions(minFace), config.limits());
            try (ModelStore models = ModelStore.open(assets.modelStoreConfig());
                    UdfDeploymentWatcher watcher = new UdfDeploymentWatcher(config.bootstrapServers(),
                            config.topics().udfs(), udfName, serdes.deserializer(UdfDeploymentRecord.class),
                            deployment -> UdfRuntime.load(deployment, models.faceDetector(), udfConfig),
                            () -> bundled(models.faceDetector(), udfConfig));
                    ActiveUdf udfs = new ActiveUdf(initialUdf(watcher, models.faceDetector(), udfConfig));
                    UdfDeploymentWatcher following = watcher.follow(udfs);
                    SightlineProcessor processor = SightlineProcessor.start(config,
                            ProcessorMetrics.metered(TopologySerdes.from(serdes), registry), udfs);
                    KafkaStreamsMetrics streamsMetrics = new KafkaStreamsMetrics(processor.kafkaStreams());
                    MetricsEndpoint endpoint = metrics.serve(registry, err)) {
                streamsMetrics.bindTo(registry);
                processor.unexpectedStop().thenRun(shutdown::request);
                processor.awaitRunning(Duration.ofMinutes(2));
                err.printf("Processing %s with %d thread(s), %s, UDF %s (sha256 %s, following %s), model %s; "
                        + "Ctrl-C stops.%n", config.topics().frames(), threads,
                        exactlyOnce ? "exactly once" : "at least once", udfs.info().label(), udfs.info().sha256(),
                        config.topics().udfs(), models.faceDetector().model().sha256());
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

    /** The latest deployment of the UDF when there is one that loads, else the bundled UDF of that name. */
    private UdfRuntime initialUdf(UdfDeploymentWatcher watcher, FaceDetector detector, UdfConfig udfConfig) {
        return watcher.catchUp(Duration.ofSeconds(kafka.startupTimeoutSeconds))
                .or(() -> bundled(detector, udfConfig))
                .orElseThrow(() -> new IllegalArgumentException("no UDF named " + udfName + " is deployed in "
                        + kafka.topics().udfs() + " or bundled (bundled: "
                        + String.join(", ", UdfRuntime.bundledNames()) + ")"));
    }

    private Optional<UdfRuntime> bundled(FaceDetector detector, UdfConfig udfConfig) {
        return UdfRuntime.bundledNames().contains(udfName)
                ? Optional.of(UdfRuntime.bundled(udfName, UdfDeployment.NO_CONFIG, detector, udfConfig))
                : Optional.empty();
    }
}
