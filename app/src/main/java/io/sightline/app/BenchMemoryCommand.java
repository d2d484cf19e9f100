package io.sightline.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sightline.model.DetectionOptions;
import io.sightline.model.FaceDetector;
import io.sightline.model.ModelStore;
import io.sightline.model.ModelStoreConfig;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.imageio.ImageIO;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Runs many inferences in one process and samples its resident memory as it goes: every tensor and result must be
 * released, so after warm-up the curve stays flat however long the process runs.
 */
@Command(name = "memory", mixinStandardHelpOptions = true,
        description = "Run N inferences on one shared TensorFlow session and print resident memory (RSS) every "
                + "N/samples inferences, and its growth from the end of warm-up to the end.")
final class BenchMemoryCommand implements Callable<Integer> {

    @Option(names = "--image", paramLabel = "FILE",
            description = "Image to run on (default: the asset dir's solvay-1927.jpg).")
    Path image;

    @Option(names = "--inferences", paramLabel = "N", defaultValue = "10000",
            description = "Inferences measured after warm-up (default: ${DEFAULT-VALUE}).")
    int inferences;

    @Option(names = "--warmup", paramLabel = "N", defaultValue = "200",
            description = "Inferences run before the baseline sample (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--samples", paramLabel = "N", defaultValue = "20",
            description = "RSS samples taken over the measured inferences (default: ${DEFAULT-VALUE}).")
    int samples;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "2",
            description = "Threads calling the detector at once (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--min-face", paramLabel = "N", defaultValue = "40",
            description = "Smallest face in pixels (default: ${DEFAULT-VALUE}).")
    float minFace;

    @Option(names = "--json", description = "Print the result as one JSON object.")
    boolean json;

    @Mixin
    AssetOptions assets;

    @Spec
    CommandSpec spec;

    /** RSS after {@code inferences} measured inferences. */
    record Sample(int inferences, double rssMiB) {}

    @Override
    public Integer call() throws Exception {
        if (inferences < 1 || samples < 1 || threads < 1 || warmup < 0) {
            throw new ParameterException(spec.commandLine(),
                    "--inferences, --samples and --threads must be at least 1, --warmup at least 0");
        }
        ModelStoreConfig config = assets.modelStoreConfig();
        BufferedImage pixels = read(image != null ? image
                : config.assetsDir().orElseThrow(() -> new IllegalArgumentException(
                        "no --image given and no asset directory set (--assets or SIGHTLINE_ASSETS)"))
                        .resolve("images/solvay-1927.jpg"));
        DetectionOptions options = new DetectionOptions(minFace);
        PrintWriter err = spec.commandLine().getErr();
        try (ModelStore store = ModelStore.open(config)) {
            FaceDetector detector = store.faceDetector();
            run(detector, pixels, options, warmup);
            List<Sample> curve = new ArrayList<>();
            curve.add(new Sample(0, RunStats.rssKiB() / 1024.0));
            int step = Math.max(1, inferences / samples);
            long start = System.nanoTime();
            for (int done = 0; done < inferences; ) {
                int batch = Math.min(step, inferences - done);
                run(detector, pixels, options, batch);
                done += batch;
                curve.add(new Sample(done, RunStats.rssKiB() / 1024.0));
                err.printf("\r  %d / %d inferences, RSS %.0f MiB", done, inferences, curve.get(curve.size() - 1)
                        .rssMiB());
                err.flush();
            }
            err.println();
            double seconds = (System.nanoTime() - start) / 1e9;
            print(curve, seconds);
        }
        return 0;
    }

    private void print(List<Sample> curve, double seconds) throws IOException {
        double base = curve.get(0).rssMiB();
        double end = curve.get(curve.size() - 1).rssMiB();
        double max = curve.stream().mapToDouble(Sample::rssMiB).max().orElse(base);
        double growth = (end - base) / base * 100;
        var out = spec.commandLine().getOut();
        if (json) {
            ObjectNode node = new ObjectMapper().createObjectNode()
                    .put("inferences", inferences).put("warmup", warmup).put("threads", threads)
                    .put("minFace", minFace).put("seconds", seconds)
                    .put("baselineRssMiB", base).put("endRssMiB", end).put("maxRssMiB", max)
                    .put("growthPercent", growth);
            var points = node.putArray("curve");
            curve.forEach(sample -> points.addObject().put("inferences", sample.inferences())
                    .put("rssMiB", sample.rssMiB()));
            out.println(new ObjectMapper().writeValueAsString(node));
        } else {
            out.printf("Memory over %d inferences (%d threads, min face %.0f, %.1f inferences/s):%n", inferences,
                    threads, minFace, inferences / seconds);
            for (Sample sample : curve) {
                out.printf("  %7d  %7.1f MiB%n", sample.inferences(), sample.rssMiB());
            }
            out.printf("  after warm-up %.1f MiB, at the end %.1f MiB, highest %.1f MiB: %+.1f %%%n", base, end, max,
                    growth);
        }
        out.flush();
    }

    /** {@code count} inferences spread over the threads, each taking the next as it becomes free. */
    private void run(FaceDetector detector, BufferedImage pixels, DetectionOptions options, int count)
            throws Exception {
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                running.add(pool.submit(() -> {
                    while (next.getAndIncrement() < count) {
                        detector.detect(pixels, options);
                    }
                }));
            }
            for (Future<?> future : running) {
                future.get();
            }
        } finally {
            pool.shutdownNow();
            pool.awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    private static BufferedImage read(Path file) throws IOException {
        BufferedImage pixels = ImageIO.read(file.toFile());
        if (pixels == null) {
            throw new IllegalArgumentException(file + " is not an image Java can decode");
        }
        return pixels;
    }
}
