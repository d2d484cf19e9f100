package io.sightline.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sightline.bench.DemoSummary;
import io.sightline.bench.RunStats;
import io.sightline.cluster.EmbeddedKafkaConfig;
import io.sightline.cluster.LocalCluster;
import io.sightline.dashboard.Dashboard;
import io.sightline.dashboard.DashboardConfig;
import io.sightline.ingest.CameraFleet;
import io.sightline.ingest.CameraList;
import io.sightline.ingest.CameraResult;
import io.sightline.ingest.DirectorySource;
import io.sightline.ingest.DirectorySourceConfig;
import io.sightline.ingest.IngestReport;
import io.sightline.ingest.KafkaFrameSink;
import io.sightline.ingest.KafkaIngest;
import io.sightline.ingest.VideoSource;
import io.sightline.ingest.VideoSourceConfig;
import io.sightline.model.DetectionOptions;
import io.sightline.model.ModelStore;
import io.sightline.model.ModelStoreConfig;
import io.sightline.readers.OutputCollector;
import io.sightline.schemas.DeadLetterStage;
import io.sightline.schemas.FrameLimits;
import io.sightline.schemas.SightlineSerdes;
import io.sightline.schemas.Topics;
import io.sightline.stream.FollowedPipelines;
import io.sightline.stream.UdfDeploymentWatcher;
import io.sightline.stream.ModelActivationWatcher;
import io.sightline.stream.Pipelines;
import io.sightline.stream.ProcessorConfig;
import io.sightline.stream.SightlineProcessor;
import io.sightline.stream.TopologySerdes;
import io.sightline.stream.UdfStack;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The whole pipeline on one machine: broker, registry, processor, directory ingest, outputs to a folder. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Start an in-process Kafka broker (KRaft) and schema registry, run the processor, ingest a "
                + "folder of images, and write OUT/annotated/<camera>/<frame>.jpg (.png with --snapshot-format png), OUT/events.jsonl and each named "
                + "output to OUT/<output>/<camera>/<frame>.json|png|jpg.",
                "Prints a summary and exits, unless --keep-running (then it follows `udf deploy` as process does)."})
final class DemoCommand implements Callable<Integer> {

    /** How long live cameras of a camera list given as --input are read. */
    static final int DEMO_LIVE_SECONDS = 30;

    @Option(names = "--input", paramLabel = "DIR|VIDEO|YAML",
            description = "Folder of images (sub-folders are cameras), a video file (camera named after it) or a "
                    + "camera list (.yaml, as `ingest cameras`; live cameras are read for "
                    + DEMO_LIVE_SECONDS + " s) (default: the asset dir's images/).")
    Path input;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "out", description = "Output folder (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--camera", paramLabel = "ID", description = "Camera id of the images at the top of --input (default: default).")
    String camera;

    @Mixin
    MinFaceOptions minFace;

    @Option(names = "--threads", paramLabel = "N", description = "Stream threads and partitions (default: one per core).")
    Integer threads;

    /** --threads, else one stream thread per core this process may use. */
    private int streamThreads() {
        return threads != null ? threads : Runtime.getRuntime().availableProcessors();
    }

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "300",
            description = "Give up waiting for outputs after this long (default: ${DEFAULT-VALUE}).")
    long timeoutSeconds;

    @Option(names = "--max-message-bytes", paramLabel = "BYTES", defaultValue = "" + FrameLimits.DEFAULT_MAX_RECORD_BYTES,
            description = "Record limit of the local broker (message.max.bytes); larger frames and annotated images "
                    + "are shrunk or dead-lettered (default: ${DEFAULT-VALUE}).")
    int maxMessageBytes;

    @Option(names = "--keep-running", description = "Keep broker, registry and processor up after the summary, until Ctrl-C.")
    boolean keepRunning;

    @Option(names = "--json", description = "Print the summary as JSON.")
    boolean json;

    @Option(names = "--dashboard-port", paramLabel = "PORT", defaultValue = "" + DashboardConfig.DEFAULT_PORT,
            description = "With --keep-running: port of the dashboard on 127.0.0.1; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int dashboardPort;

    @Mixin
    AssetOptions assets;

    @Mixin
    PipelineOptions pipelineOptions;

    @Mixin
    SnapshotOptions snapshots;

    @Mixin
    ClockSkewOptions clockSkew;

    @Mixin
    SpreadOptions spread;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Shutdown shutdown = keepRunning ? new Shutdown() : null;
        try {
            return runDemo(shutdown);
        } finally {
            if (shutdown != null) {
                shutdown.finished();
            }
        }
    }

    private int runDemo(Shutdown shutdown) throws Exception {
        ModelStoreConfig modelConfig = assets.modelStoreConfig();
        Path inputDir = inputDir(modelConfig);
        var detection = minFace.detection();
        Pipelines pipelines = pipelineOptions.pipelines();
        Topics topics = Topics.withPrefix(Topics.DEFAULT_PREFIX);
        var kafkaConfig = new EmbeddedKafkaConfig(null, 0, 0, maxMessageBytes, Map.of());
        try (LocalCluster cluster = LocalCluster.start(kafkaConfig, 0, topics, streamThreads(), pipelines.outputTopics())) {
            FrameLimits limits = FrameLimits.defaults().fromCluster(cluster.bootstrapServers(), topics.all());
            var config = ProcessorConfig.of(cluster.bootstrapServers(), topics, streamThreads(), limits)
                    .withClockSkew(clockSkew.limits()).withSpread(spread.spread());
            var serdes = cluster.serdes();
            try (ModelStore models = ModelStore.open(modelConfig);
                    ModelActivationWatcher activations = ModelActivationWatcher.start(cluster.bootstrapServers(),
                            topics.models(), models, Duration.ofSeconds(30));
                    FollowedPipelines udfs = FollowedPipelines.open(cluster.bootstrapServers(), topics.udfs(), serdes,
                            pipelines, models.faceDetector(), UdfStack.udfConfig(detection, limits, snapshots.encoding()),
                            Duration.ofSeconds(30), UdfDeploymentWatcher.Trust.anyone());
                    SightlineProcessor processor = SightlineProcessor.start(config, TopologySerdes.from(serdes),
                            udfs.udfs());
                    Dashboard dashboard = keepRunning ? startDashboard(cluster, limits, pipelines) : null) {
                processor.awaitRunning(Duration.ofSeconds(120));
                Duration startup = RunStats.sinceJvmStart();
                DemoSummary summary = run(inputDir, ingestStep(inputDir, cluster, serdes, topics, limits), cluster,
                        serdes, config, pipelines, startup);
                print(summary, dashboard);
                if (shutdown != null) {
                    processor.unexpectedStop().thenRun(shutdown::request);
                    var err = spec.commandLine().getErr();
                    err.printf("Running: Kafka at %s, schema registry at %s; dashboard at %s (metrics at %s); "
                            + "`sightline udf deploy NAME FILE.wasm --bootstrap-servers %s --registry-url %s` switches "
                            + "the running pipelines, `sightline models activate NAME@VERSION --bootstrap-servers %s` "
                            + "their model. Ctrl-C stops.%n%s", cluster.bootstrapServers(),
                            cluster.registryUrl(), dashboard.url(), dashboard.metricsUrl(), cluster.bootstrapServers(),
                            cluster.registryUrl(), cluster.bootstrapServers(),
                            udfs.udfs().describe(topics));
                    err.flush();
                    shutdown.awaitRequest();
                    if (processor.unexpectedStop().isDone()) {
                        err.println("sightline demo: the stream processor stopped ("
                                + processor.unexpectedStop().join() + ")");
                        return 1;
                    }
                }
                return summary.complete() ? 0 : 1;
            }
        }
    }

    /** Publishes the input once: a folder of images, or the frames of a video file. */
    private interface IngestStep {
        IngestReport publish() throws IOException;
    }

    private IngestStep ingestStep(Path inputDir, LocalCluster cluster, SightlineSerdes serdes, Topics topics,
            FrameLimits limits) {
        String name = inputDir.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        if (Files.isRegularFile(inputDir) && (name.endsWith(".yaml") || name.endsWith(".yml"))) {
            var fleet = new CameraFleet(CameraList.load(inputDir));
            return () -> {
                try (var sink = KafkaFrameSink.open(cluster.bootstrapServers(), serdes, topics, limits, 64)) {
                    List<CameraResult> results = fleet.run(sink, limits,
                            Optional.of(Duration.ofSeconds(DEMO_LIVE_SECONDS)));
                    sink.flush();
                    long published = results.stream().mapToLong(CameraResult::published).sum();
                    long skipped = results.stream().mapToLong(CameraResult::skipped).sum();
                    int rejected = sink.rejectedByReason().values().stream().mapToInt(Integer::intValue).sum();
                    return new IngestReport((int) published - sink.refusedByBroker(), rejected, (int) skipped);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while reading the cameras", e);
                }
            };
        }
        if (Files.isRegularFile(inputDir)) {
            var video = new VideoSource(VideoSourceConfig.of(inputDir, Optional.ofNullable(camera), Optional.empty(),
                    0, limits));
            return () -> KafkaIngest.publish(video, cluster.bootstrapServers(), serdes, topics, limits);
        }
        var source = new DirectorySource(new DirectorySourceConfig(inputDir, Optional.ofNullable(camera), limits));
        return () -> KafkaIngest.publish(source, cluster.bootstrapServers(), serdes, topics, limits);
    }

    private DemoSummary run(Path inputDir, IngestStep ingest, LocalCluster cluster, SightlineSerdes serdes,
            ProcessorConfig config, Pipelines pipelines, Duration startup) throws IOException {
        Topics topics = config.topics();
        try (OutputCollector collector = new OutputCollector(cluster.bootstrapServers(), topics,
                OutputCollector.Decoders.from(serdes), out, config.limits().maxRecordBytes(), pipelines.outputs())) {
            Instant ingestStart = Instant.now();
            long cpuStart = RunStats.processCpuNanos();
            IngestReport report = ingest.publish();
            boolean complete = collector.collect(report.candidates(), Duration.ofSeconds(timeoutSeconds));
            long cpu = RunStats.processCpuNanos() - cpuStart;
            double wall = Math.max(1e-3, Duration.between(ingestStart, Instant.now()).toNanos() / 1e9);
            int processed = collector.events() + (int) collector.deadLetters().stream()
                    .filter(d -> !DeadLetterStage.INGEST.is(d.getStage())).count();
            Instant end = collector.lastOutputAt() == null ? Instant.now() : collector.lastOutputAt();
            double seconds = Math.max(1e-3, Duration.between(ingestStart, end).toNanos() / 1e9);
            Duration firstEvent = collector.firstEventAt() == null ? null
                    : startup.plus(Duration.between(ingestStart, collector.firstEventAt()));
            return new DemoSummary(inputDir, out, report, collector.events(), collector.faces(),
                    collector.annotated(), collector.deadLetters(), collector.deadLettersByReason(), collector.outputs(),
                    processed / seconds, cpu / 1e9 / wall, config.threads(), startup, firstEvent, RunStats.peakRssMiB(), complete);
        }
    }

    private Path inputDir(ModelStoreConfig modelConfig) {
        if (input != null) {
            return input;
        }
        return modelConfig.assetsDir().map(dir -> dir.resolve("images")).filter(Files::isDirectory)
                .orElseThrow(() -> new IllegalArgumentException("no --input given and no asset dir with images/: "
                        + "pass --input DIR, --assets DIR or set " + ModelStoreConfig.ASSETS_ENV));
    }

    /** The dashboard over the local cluster, on 127.0.0.1; its streams app catches up with the outputs on its own. */
    private Dashboard startDashboard(LocalCluster cluster, FrameLimits limits, Pipelines pipelines) {
        return Dashboard.start(DashboardConfig.of(cluster.bootstrapServers(), cluster.registryUrl().toString(),
                Topics.DEFAULT_PREFIX, limits.maxRecordBytes()).withListener(DashboardConfig.DEFAULT_BIND, dashboardPort, null),
                pipelines.zonesAsJson());
    }

    private void print(DemoSummary summary, Dashboard dashboard) throws IOException {
        if (json) {
            var node = summary.toJson();
            if (dashboard != null) {
                node.put("dashboardUrl", dashboard.url().toString()).put("metricsUrl", dashboard.metricsUrl().toString());
            }
            spec.commandLine().getOut().println(new ObjectMapper().writeValueAsString(node));
            spec.commandLine().getOut().flush();
        } else {
            summary.print(spec.commandLine().getOut());
            if (dashboard != null) {
                spec.commandLine().getOut().printf("  dashboard     %s%n  metrics       %s%n", dashboard.url(),
                        dashboard.metricsUrl());
            }
        }
    }
}
