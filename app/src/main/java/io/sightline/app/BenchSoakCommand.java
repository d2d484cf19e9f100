package io.sightline.app;

import io.sightline.bench.SoakHarness;
import io.sightline.bench.SoakPlan;
import io.sightline.bench.SoakReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sightline bench soak}: its options; the run is {@link SoakHarness}. */
@Command(name = "soak", mixinStandardHelpOptions = true,
        description = {"Run the whole pipeline for N minutes under faults, each part in its own process: a broker, a "
                + "schema registry, two processors, an edge site forwarding to them; cameras at a steady rate. After "
                + "warm-up, in turn and again while time remains: SIGKILL of a processor, SIGTERM and restart of the "
                + "broker on its data directory, the registry down for 30 s, the edge's link cut for 60 s.",
            "Prints frames in, events, dead letters by reason, duplicates, latency and resident memory over time; "
                + "fails (exit 1) on a lost frame, an edge event missing at the centre, a duplicate with "
                + "--exactly-once, or memory growing over 10 % after warm-up."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:passed", "1:failed (the report says why)", "2:bad arguments"})
final class BenchSoakCommand implements Callable<Integer> {

    @Option(names = "--minutes", paramLabel = "N", defaultValue = "60",
            description = "How long to run (default: ${DEFAULT-VALUE}).")
    long minutes;

    @Option(names = "--warmup", paramLabel = "MINUTES", defaultValue = "10",
            description = "Minutes before the first fault and the memory baseline (default: ${DEFAULT-VALUE}).")
    long warmupMinutes;

    @Option(names = "--cameras", paramLabel = "N", defaultValue = "4",
            description = "Cameras at the centre, cam-1 … cam-N (default: ${DEFAULT-VALUE}); the edge adds one.")
    int cameras;

    @Option(names = "--fps", paramLabel = "F", defaultValue = "1",
            description = "Frames per second of each camera (default: ${DEFAULT-VALUE}).")
    double fps;

    @Option(names = "--exactly-once", description = "Run the processors exactly once: then a duplicate fails the run.")
    boolean exactlyOnce;

    @Option(names = "--work-dir", paramLabel = "DIR",
            description = "Where the parts keep their data and logs (default: a new temporary folder).")
    Path workDir;

    @Option(names = "--json", description = "Print the report as one JSON object.")
    boolean json;

    @Mixin
    AssetOptions assets;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Path assetDir = assets.modelStoreConfig().assetsDir()
                .filter(dir -> Files.isRegularFile(dir.resolve("images/tf-mtcnn-test.jpg"))).orElse(null);
        if (assetDir == null) {
            throw new IllegalArgumentException("bench soak needs the asset directory with images/tf-mtcnn-test.jpg "
                    + "and the model: give --assets DIR (or SIGHTLINE_ASSETS)");
        }
        Path work = workDir != null ? workDir : Files.createTempDirectory("sightline-soak-");
        var plan = new SoakPlan(Duration.ofMinutes(minutes), Duration.ofMinutes(warmupMinutes), cameras, fps,
                exactlyOnce, assetDir, work, launcher());
        var out = spec.commandLine().getOut();
        var err = spec.commandLine().getErr();
        err.printf("Soak of %d min in %s; faults at %s%n", minutes, work, plan.faults().stream()
                .map(fault -> fault.kind() + "@" + fault.at().toMinutes() + "m").toList());
        err.flush();
        SoakReport report = new SoakHarness(plan, err).run();
        out.println(json ? report.json().toString() : report.text());
        out.flush();
        return report.failures().isEmpty() ? 0 : 1;
    }

    /**
     * This JVM's java, class path and main class: how each part is started. Each gets the 1 GiB heap a production
     * processor is given (docs/operations.md), fixed and committed at start: a heap grown on demand shows up in RSS as
     * steps (up to its maximum) that would hide or fake a leak; fixed, what grows is memory outside it.
     */
    private static List<String> launcher() {
        return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-XX:TieredStopAtLevel=1",
                "-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch", "-cp", System.getProperty("java.class.path"),
                Sightline.class.getName());
    }
}
