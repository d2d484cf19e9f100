package io.sightline.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sightline.model.DetectionOptions;
import io.sightline.model.FaceDetector;
import io.sightline.model.ModelCatalog;
import io.sightline.model.ModelManifest;
import io.sightline.model.ModelStore;
import io.sightline.model.ModelStoreConfig;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.imageio.ImageIO;

/**
 * Runs many inferences in one process and samples its resident memory as it goes: every tensor and result must be
 * released, so after warm-up the curve stays flat however long the process runs.
 */
public final class MemoryBench {

    /** What the command line asked for. */
    public record Settings(Path image, int inferences, int warmup, int samples, int threads, float minFace, int swaps, boolean json) {}

    private final Path image;
    private final int inferences;
    private final int warmup;
    private final int samples;
    private final int threads;
    private final float minFace;
    private final int swaps;
    private final boolean json;
    private final ModelStoreConfig modelStore;
    private final PrintWriter out;
    private final PrintWriter err;

    public MemoryBench(Settings settings, ModelStoreConfig modelStore, PrintWriter out, PrintWriter err) {
        this.image = settings.image();
        this.inferences = settings.inferences();
        this.warmup = settings.warmup();
        this.samples = settings.samples();
        this.threads = settings.threads();
        this.minFace = settings.minFace();
        this.swaps = settings.swaps();
        this.json = settings.json();
        this.modelStore = modelStore;
        this.out = out;
        this.err = err;
    }

    /** RSS after {@code inferences} measured inferences. */
    record Sample(int inferences, double rssMiB) {}

    /** Runs the measurement and prints it; the exit code: 0, or 1 when it is incomplete. */
    public int run() throws Exception {
        if (inferences < 1 || samples < 1 || threads < 1 || warmup < 0 || swaps < 0) {
            throw new IllegalArgumentException("--inferences, --samples and --threads must be at least 1, --warmup and --swaps at least 0");
        }
        if (swaps > inferences) {
            throw new IllegalArgumentException("--swaps must not exceed --inferences");
        }
        ModelStoreConfig config = modelStore;
        BufferedImage pixels = read(image != null ? image
                : config.assetsDir().orElseThrow(() -> new IllegalArgumentException(
                        "no --image given and no asset directory set (--assets or SIGHTLINE_ASSETS)"))
                        .resolve("images/solvay-1927.jpg"));
        DetectionOptions options = new DetectionOptions(minFace);
        try (ModelStore store = ModelStore.open(config)) {
            FaceDetector detector = store.faceDetector();
            List<String> versions = ModelCatalog.bundled().all().stream()
                    .filter(model -> model.name().equals(detector.model().name()))
                    .map(ModelManifest::label)
                    .toList();
            if (swaps > 0 && versions.size() < 2) {
                throw new IllegalStateException("--swaps needs two versions of " + detector.model().name()
                        + " in the catalog, found " + versions);
            }
            Swapper swapper = new Swapper(store, versions);
            if (swaps > 0) {
                // Both sessions made and released once before the baseline, so it includes what a swap warms up.
                runWhileSwitching(detector, pixels, options, warmup / 2, swapper);
                runWhileSwitching(detector, pixels, options, warmup - warmup / 2, swapper);
            } else {
                run(detector, pixels, options, warmup);
            }
            List<Sample> curve = new ArrayList<>();
            curve.add(new Sample(0, RunStats.rssKiB() / 1024.0));
            int step = Math.max(1, inferences / (swaps > 0 ? swaps : samples));
            long start = System.nanoTime();
            int switched = 0;
            for (int done = 0; done < inferences; ) {
                int batch = done + 2 * step > inferences && swaps > 0 ? inferences - done
                        : Math.min(step, inferences - done);
                if (switched < swaps) {
                    runWhileSwitching(detector, pixels, options, batch, swapper);
                    switched++;
                } else {
                    run(detector, pixels, options, batch);
                }
                done += batch;
                curve.add(new Sample(done, RunStats.rssKiB() / 1024.0));
                err.printf("\r  %d / %d inferences, RSS %.0f MiB", done, inferences, curve.get(curve.size() - 1)
                        .rssMiB());
                err.flush();
            }
            err.println();
            double seconds = (System.nanoTime() - start) / 1e9;
            print(curve, seconds, switched);
        }
        return 0;
    }

    /** Switches the store's face detector to the next version in turn. */
    private static final class Swapper {

        private final ModelStore store;
        private final List<String> versions;
        private int switches;

        Swapper(ModelStore store, List<String> versions) {
            this.store = store;
            this.versions = versions;
        }

        void next() {
            switches++;
            store.activate(versions.get(switches % versions.size()));
        }
    }

    /** {@code count} inferences on the threads while this thread switches the model once, as they run. */
    private void runWhileSwitching(FaceDetector detector, BufferedImage pixels, DetectionOptions options, int count,
            Swapper swapper) throws Exception {
        ExecutorService background = Executors.newSingleThreadExecutor();
        try {
            Future<?> detecting = background.submit(() -> {
                run(detector, pixels, options, count);
                return null;
            });
            swapper.next();
            detecting.get();
        } finally {
            background.shutdownNow();
        }
    }

    private void print(List<Sample> curve, double seconds, int measuredSwaps) throws IOException {
        double base = curve.get(0).rssMiB();
        double end = curve.get(curve.size() - 1).rssMiB();
        double max = curve.stream().mapToDouble(Sample::rssMiB).max().orElse(base);
        double growth = (end - base) / base * 100;

        if (json) {
            ObjectNode node = new ObjectMapper().createObjectNode()
                    .put("inferences", inferences).put("warmup", warmup).put("threads", threads)
                    .put("minFace", minFace).put("swaps", measuredSwaps).put("seconds", seconds)
                    .put("baselineRssMiB", base).put("endRssMiB", end).put("maxRssMiB", max)
                    .put("growthPercent", growth);
            var points = node.putArray("curve");
            curve.forEach(sample -> points.addObject().put("inferences", sample.inferences())
                    .put("rssMiB", sample.rssMiB()));
            out.println(new ObjectMapper().writeValueAsString(node));
        } else {
            out.printf("Memory over %d inferences (%d threads, min face %.0f, %.1f inferences/s%s):%n", inferences,
                    threads, minFace, inferences / seconds,
                    measuredSwaps > 0 ? ", " + measuredSwaps + " model switches" : "");
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
