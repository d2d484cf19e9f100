package io.sightline.app;

import io.sightline.edge.EdgeSite;
import io.sightline.edge.EdgeSummary;
import io.sightline.ingest.CameraList;
import io.sightline.schemas.SchemaRegistryClient;
import io.sightline.stream.UdfDeploymentWatcher;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** An edge site: broker, registry, processor and camera ingest in one process, forwarding results to the centre. */
@Command(name = "edge", mixinStandardHelpOptions = true,
        description = {"Run an edge site: an in-process broker (with a data directory) and registry, the processor, "
                + "the site's cameras, and MirrorMaker 2 forwarding detections, alerts and dead letters to a central "
                + "cluster as <site>.sightline.* (schema ids translated to the central registry), while UDF "
                + "deployments made at the centre come back to the edge.",
                "The edge keeps processing while the centre is unreachable; its log is the buffer and everything "
                        + "waiting is forwarded, in order per camera, when the link returns. Runs until Ctrl-C "
                        + "(or --duration), then prints a summary."})
final class EdgeCommand implements Callable<Integer> {

    @Option(names = "--site", paramLabel = "ID", required = true,
            description = "This site's id; its topics at the centre are ID.sightline.detections and so on.")
    String site;

    @Option(names = "--central-bootstrap", paramLabel = "HOST:PORT", required = true,
            description = "The central Kafka cluster (e.g. a `sightline broker`).")
    String centralBootstrap;

    @Option(names = "--central-registry", paramLabel = "URL", required = true,
            description = "The central schema registry; forwarded records carry its schema ids.")
    String centralRegistry;

    @Option(names = "--input", paramLabel = "DIR|CAMERAS.yaml",
            description = "Camera folder (sub-folders are cameras), replayed in a loop at --fps as a live camera; or a "
                    + "camera list as for --cameras.")
    Path input;

    @Option(names = "--cameras", paramLabel = "FILE.yaml",
            description = "The site's cameras (as for `ingest cameras`): live ones (RTSP, MJPEG) run until the edge "
                    + "stops, folders and videos are published once; one thread per camera.")
    Path cameras;

    @Option(names = "--fps", paramLabel = "F", defaultValue = "2",
            description = "Frames per second the camera folder is replayed at (default: ${DEFAULT-VALUE}).")
    double fps;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "9192",
            description = "Kafka port of the edge broker (default: ${DEFAULT-VALUE}; 0 = any free port).")
    int port;

    @Option(names = "--registry-port", paramLabel = "PORT", defaultValue = "8181",
            description = "Port of the edge's schema registry (default: ${DEFAULT-VALUE}; 0 = any free port).")
    int registryPort;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Keep the edge broker's log here across restarts: it is the buffer while the link is down "
                    + "(default: a temporary folder, deleted at exit).")
    Path dataDir;

    @Option(names = "--retention-bytes", paramLabel = "N", defaultValue = "-1",
            description = "Most bytes kept per partition of the edge's topics (default: unlimited).")
    long retentionBytes;

    @Option(names = "--retention-hours", paramLabel = "H", defaultValue = "168",
            description = "Hours the edge keeps records, forwarded or not (default: ${DEFAULT-VALUE}).")
    double retentionHours;

    @Option(names = "--forward-snapshots",
            description = "Also forward annotated (and blurred) frames; off by default, they are most of the bytes.")
    boolean forwardSnapshots;

    @Option(names = "--forward-frames", description = "Also forward the raw camera frames (rarely wise on a thin link).")
    boolean forwardFrames;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "1", description = "Stream threads (default: ${DEFAULT-VALUE}).")
    int threads;

    @Mixin
    TrustOptions trust;

    /** How to reach the central cluster, both ways of the link: results up, deployments and models down. */
    @Mixin
    KafkaSecurityOptions centralSecurity;

    @Mixin
    MinFaceOptions minFace;

    @Option(names = "--udf", paramLabel = "NAME", defaultValue = "face-annotate",
            description = "The UDF to run: its latest deployment (made here or at the centre), else the bundled one "
                    + "(default: ${DEFAULT-VALUE}).")
    String udfName;

    @Option(names = "--status-interval", paramLabel = "SECONDS", defaultValue = "10",
            description = "Print a status line to stderr this often; 0 = never (default: ${DEFAULT-VALUE}).")
    int statusSeconds;

    @Option(names = "--duration", paramLabel = "SECONDS", defaultValue = "0",
            description = "Stop by itself after this long (default: run until Ctrl-C).")
    long durationSeconds;

    @Option(names = "--stall-restart", paramLabel = "SECONDS", defaultValue = "30",
            description = "Restart forwarding when it has not moved for this long while records wait and the centre "
                    + "answers (default: ${DEFAULT-VALUE}).")
    long stallRestartSeconds;

    @Option(names = {"-D", "--mirror"}, paramLabel = "KEY=VALUE", split = EnvironmentDefaults.ENTRY_SEPARATOR,
            splitSynopsisLabel = ",",
            description = "MirrorMaker 2 property passed through as is, e.g. -D edge1->central.tasks.max=2.")
    Map<String, String> mirrorOverrides = new LinkedHashMap<>();

    @Option(names = "--json", description = "Print the summary as JSON.")
    boolean json;

    @Mixin
    AssetOptions assets;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        validate();
        UdfDeploymentWatcher.Trust deploymentTrust = trust.trust();
        centralSecurity.apply(centralBootstrap);
        Shutdown shutdown = new Shutdown();
        shutdown.exitZeroWhenStopped();
        var err = spec.commandLine().getErr();
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "sightline-edge-status");
            thread.setDaemon(true);
            return thread;
        });
        long retentionMs = retentionHours < 0 ? -1 : (long) (retentionHours * 3_600_000);
        var config = new EdgeSite.Config(site, centralBootstrap, centralRegistry, input, port, registryPort, dataDir,
                fps, forwardSnapshots, forwardFrames, retentionBytes, retentionMs, threads, minFace.pixels, udfName,
                assets.modelStoreConfig(), mirrorOverrides, Duration.ofSeconds(stallRestartSeconds), deploymentTrust);
        try (EdgeSite edge = EdgeSite.start(config)) {
            edge.processor().unexpectedStop().thenRun(shutdown::request);
            err.printf("Edge %s: Kafka at %s, schema registry at %s; forwarding to %s (registry %s). Ctrl-C stops.%n",
                    site, edge.bootstrapServers(), edge.registryUrl(), centralBootstrap, centralRegistry);
            err.flush();
            if (statusSeconds > 0) {
                timer.scheduleAtFixedRate(() -> {
                    try {
                        err.println(edge.summary().line());
                        err.flush();
                    } catch (RuntimeException e) {
                        err.println("edge status unavailable: " + e.getMessage());
                    }
                }, statusSeconds, statusSeconds, TimeUnit.SECONDS);
            }
            if (durationSeconds > 0) {
                timer.schedule(shutdown::request, durationSeconds, TimeUnit.SECONDS);
            }
            shutdown.awaitRequest();
            timer.shutdownNow();
            edge.stopCamera();
            EdgeSummary summary = edge.summary();
            var out = spec.commandLine().getOut();
            if (json) {
                out.println(summary.toJson());
                out.flush();
            } else {
                summary.print(out);
            }
            if (edge.processor().unexpectedStop().isDone()) {
                err.println("sightline edge: the stream processor stopped (" + edge.processor().unexpectedStop().join()
                        + ")");
                return 1;
            }
            return 0;
        } finally {
            timer.shutdownNow();
            shutdown.finished();
        }
    }

    /** Mistakes in the options fail here, before anything starts, with what to fix. */
    private void validate() {
        io.sightline.edge.EdgeForwarderConfig.requireSite(site);
        if (cameras != null) {
            if (input != null) {
                throw new IllegalArgumentException("--input and --cameras both name the cameras: give one");
            }
            input = cameras;
            if (!EdgeSite.isCameraList(input)) {
                throw new IllegalArgumentException("--cameras " + input + " is not a .yaml camera list");
            }
        }
        if (input != null && EdgeSite.isCameraList(input)) {
            CameraList.load(input); // a mistake in the list stops here, naming the file and the field
        } else if (input != null && !Files.isDirectory(input)) {
            throw new IllegalArgumentException("--input " + input + " is not a folder of images or a .yaml camera list");
        }
        if (fps < 0 || Double.isNaN(fps) || Double.isInfinite(fps)) {
            throw new IllegalArgumentException("--fps must be a positive number (or 0 for no limit), got " + fps);
        }
        if (!centralBootstrap.matches("[^:,\\s]+:\\d+(,[^:,\\s]+:\\d+)*")) {
            throw new IllegalArgumentException("--central-bootstrap must be HOST:PORT[,HOST:PORT...], got '"
                    + centralBootstrap + "'");
        }
        try {
            SchemaRegistryClient.forUrls(centralRegistry).baseUrls().forEach(url -> {
                if (url.getScheme() == null || url.getHost() == null) {
                    throw new IllegalArgumentException("bad URL");
                }
            });
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--central-registry must be an http(s) URL such as "
                    + "http://central:8081, got '" + centralRegistry + "'");
        }
        if (retentionBytes == 0 || retentionBytes < -1) {
            throw new IllegalArgumentException("--retention-bytes must be positive (or -1 for unlimited), got "
                    + retentionBytes);
        }
        if (retentionHours == 0 || Double.isNaN(retentionHours)) {
            throw new IllegalArgumentException("--retention-hours must be positive (or -1 for unlimited), got "
                    + retentionHours);
        }
        if (stallRestartSeconds < 10) {
            throw new IllegalArgumentException("--stall-restart must be at least 10 seconds, got " + stallRestartSeconds);
        }
        if (threads < 1) {
            throw new IllegalArgumentException("--threads must be at least 1, got " + threads);
        }
    }
}
