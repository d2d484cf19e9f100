package io.sightline.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sightline.model.DetectionOptions;
import io.sightline.model.Face;
import io.sightline.model.FaceDetector;
import io.sightline.model.ModelInfo;
import io.sightline.model.ModelStore;
import io.sightline.model.ModelStoreConfig;
import io.sightline.tracking.Box;
import io.sightline.tracking.Tracker;
import io.sightline.tracking.TrackerSettings;
import io.sightline.udf.FrameInput;
import io.sightline.udf.ImageEncoding;
import io.sightline.udf.UdfConfig;
import io.sightline.udf.UdfDeployment;
import io.sightline.udf.UdfInstance;
import io.sightline.udf.UdfResult;
import io.sightline.udf.UdfRuntime;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.BiFunction;
import javax.imageio.ImageIO;

/**
 * Measures the UDF layer alone, inference excluded: the faces MTCNN finds in the image are recorded once and
 * replayed by the host's detector, so every frame does the real work (Wasm call, face records both ways, boxes and
 * landmarks drawn) without the model's time.
 */
public final class UdfBench {

    /** What the command line asked for. */
    public record Settings(Path image, int frames, int instances, int warmup, float minFace, boolean json) {}

    private final Path image;
    private final int frames;
    private final int instances;
    private final int warmup;
    private final float minFace;
    private final boolean json;
    private final ModelStoreConfig modelStore;
    private final PrintWriter out;
    private final PrintWriter err;

    public UdfBench(Settings settings, ModelStoreConfig modelStore, PrintWriter out, PrintWriter err) {
        this.image = settings.image();
        this.frames = settings.frames();
        this.instances = settings.instances();
        this.warmup = settings.warmup();
        this.minFace = settings.minFace();
        this.json = settings.json();
        this.modelStore = modelStore;
        this.out = out;
        this.err = err;
    }

    static final double FRAME_TARGET_MS = 2.0;
    static final double INSTANCE_TARGET_MS = 1.0;
    /** The tracker's share of a frame, as the processor runs it: state read, faces associated, state written. */
    static final double TRACKER_TARGET_MS = 0.1;
    /** The frame a new instance starts on: tiny, faceless, so its own cost is next to nothing. */
    private static final int TINY_EDGE = 16;

    /** One module measured: how it was compiled, and the runtime it makes from a detector and limits. */
    private record Subject(String name, String compiled, BiFunction<FaceDetector, UdfConfig, UdfRuntime> runtime) {}

    /** Median and 99th percentile (nearest rank), in milliseconds. */
    record Stat(double p50, double p99) {

        static Stat of(double[] millis) {
            return new Stat(Percentiles.nearestRank(millis, 0.50), Percentiles.nearestRank(millis, 0.99));
        }

        ObjectNode toJson(ObjectMapper mapper) {
            return mapper.createObjectNode().put("p50", round(p50)).put("p99", round(p99));
        }
    }

    record Row(String name, String compiled, double loadMs, int faces, Stat frameMs, Stat decodeMs, Stat encodeMs,
            Stat instanceMs) {}

    /** Runs the measurement and prints it; the exit code: 0, or 1 when it is incomplete. */
    public int run() throws IOException {
        requireAtLeast("--frames", frames, 1);
        requireAtLeast("--instances", instances, 1);
        requireAtLeast("--warmup", warmup, 0);
        ModelStoreConfig modelConfig = modelStore;
        Path file = imageFile(modelConfig);
        byte[] bytes = Files.readAllBytes(file);
        BufferedImage pixels = ImageIO.read(new ByteArrayInputStream(bytes));
        if (pixels == null) {
            throw new IllegalArgumentException("image " + file + " cannot be decoded as JPEG or PNG");
        }
        ImageEncoding encoding = bytes.length > 1 && (bytes[0] & 0xFF) == 0x89 ? ImageEncoding.PNG
                : ImageEncoding.JPEG;
        FrameInput frame = new FrameInput("bench", "bench-1", 0L, encoding, pixels.getWidth(), pixels.getHeight(),
                bytes);
        FrameInput tiny = tinyFrame();

        var detection = new DetectionOptions(minFace);
        List<Face> recorded;
        try (ModelStore models = ModelStore.open(modelConfig)) {
            progress("recording MTCNN's faces in %s once", file.getFileName());
            recorded = models.faceDetector().detect(pixels, detection);
        }
        var replay = new ReplayDetector(recorded, pixels.getWidth(), pixels.getHeight());
        UdfConfig config = new UdfConfig(detection, UdfConfig.DEFAULT_MEMORY_MAX_PAGES,
                UdfConfig.DEFAULT_TIME_BUDGET);

        List<Row> rows = new ArrayList<>();
        for (Subject subject : subjects()) {
            progress("%s (%s): %d frames, %d instances", subject.name(), subject.compiled(), frames, instances);
            long loadStart = System.nanoTime();
            try (UdfRuntime runtime = subject.runtime().apply(replay, config)) {
                double loadMs = (System.nanoTime() - loadStart) / 1e6;
                rows.add(measure(subject, runtime, loadMs, frame, tiny));
            }
        }

        progress("tracker: %d frames of %d faces", frames, recorded.size());
        Stat tracker = tracker(recorded);
        if (json) {
            ObjectNode root = toJson(file, pixels, recorded.size(), rows);
            var mapper = new ObjectMapper();
            root.putObject("tracker").put("faces", recorded.size()).put("frames", frames)
                    .<ObjectNode>set("frameMs", tracker.toJson(mapper)).put("targetMs", TRACKER_TARGET_MS)
                    .put("met", tracker.p50() <= TRACKER_TARGET_MS);
            out.println(mapper.writeValueAsString(root));
        } else {
            print(out, file, pixels, recorded.size(), rows);
            out.printf("tracker: %d faces a frame, state restored, faces associated and state saved, as the processor "
                    + "does per event: %s ms p50 / p99; target p50 ≤ %.1f ms: %s%n", recorded.size(), format(tracker),
                    TRACKER_TARGET_MS, verdict(tracker.p50() <= TRACKER_TARGET_MS));
        }
        out.flush();
        return 0;
    }

    /**
     * The bundled UDF compiled at build and at run time, and the SDK examples when this build has them: they are
     * built with the tests (`./sightline test`, which installs Rust and clang), not by the launcher's build.
     */
    private List<Subject> subjects() {
        byte[] faceAnnotate = resource("/io/sightline/udf/bundled/face-annotate.wasm")
                .orElseThrow(() -> new IllegalStateException("face-annotate.wasm is missing from the wasm-udfs jar: rebuild"));
        List<Subject> subjects = new ArrayList<>(List.of(
                new Subject("face-annotate", "build time", UdfRuntime::faceAnnotate),
                new Subject("face-annotate", "run time", loaded("face-annotate", faceAnnotate))));
        var rust = resource("/io/sightline/udf/sdk/face-box-rust.wasm");
        var c = resource("/io/sightline/udf/sdk/face-box-c.wasm");
        rust.ifPresent(wasm -> subjects.add(new Subject("face-box (Rust SDK)", "run time", loaded("face-box-rust", wasm))));
        c.ifPresent(wasm -> subjects.add(new Subject("face-box (C SDK)", "run time", loaded("face-box-c", wasm))));
        if (rust.isEmpty() || c.isEmpty()) {
            err.println("bench udf: the Rust and C SDK examples are not in this build (they are "
                    + "built with the tests: ./sightline test); measuring the AssemblyScript UDF only");
        }
        return subjects;
    }

    private static BiFunction<FaceDetector, UdfConfig, UdfRuntime> loaded(String name, byte[] wasm) {
        return (detector, config) -> UdfRuntime.load(UdfDeployment.of(name, "bench", wasm), detector, config);
    }

    private Row measure(Subject subject, UdfRuntime runtime, double loadMs, FrameInput frame, FrameInput tiny) {
        double[] frameMs = new double[frames];
        double[] decodeMs = new double[frames];
        double[] encodeMs = new double[frames];
        int faces;
        try (UdfInstance udf = runtime.newInstance()) {
            for (int i = 0; i < warmup; i++) {
                emitted(subject, udf.process(frame));
            }
            faces = emitted(subject, udf.process(frame)).faces().size();
            for (int i = 0; i < frames; i++) {
                var timings = emitted(subject, udf.process(frame)).timings();
                frameMs[i] = timings.udfMs();
                decodeMs[i] = timings.decodeMs();
                encodeMs[i] = timings.totalMs() - timings.decodeMs() - timings.udfMs() - timings.inferenceMs();
            }
        }
        return new Row(subject.name(), subject.compiled(), loadMs, faces, Stat.of(frameMs), Stat.of(decodeMs),
                Stat.of(encodeMs), instanceCost(subject, runtime, tiny));
    }

    /**
     * A new instance costs {@code newInstance()} plus, on its first frame, the Wasm instance with its start function
     * and {@code init}: timed as the first tiny frame's UDF time minus a warm instance's, per instance.
     */
    private Stat instanceCost(Subject subject, UdfRuntime runtime, FrameInput tiny) {
        double warmTinyMs;
        try (UdfInstance warm = runtime.newInstance()) {
            double[] tinyMs = new double[Math.max(warmup, 50)];
            for (int i = 0; i < tinyMs.length; i++) {
                tinyMs[i] = emitted(subject, warm.process(tiny)).timings().udfMs();
            }
            warmTinyMs = Stat.of(tinyMs).p50();
        }
        double[] millis = new double[instances];
        for (int i = -warmup; i < instances; i++) {
            long start = System.nanoTime();
            UdfInstance instance = runtime.newInstance();
            double newInstanceMs = (System.nanoTime() - start) / 1e6;
            try (instance) {
                double firstMs = emitted(subject, instance.process(tiny)).timings().udfMs();
                if (i >= 0) {
                    millis[i] = newInstanceMs + Math.max(0, firstMs - warmTinyMs);
                }
            }
        }
        return Stat.of(millis);
    }

    /**
     * The tracker on the recorded faces moving a pixel or two a frame at 5 frames a second, measured from the
     * state's bytes to the state's bytes, {@code warmup} frames first.
     */
    private Stat tracker(List<Face> faces) {
        TrackerSettings settings = TrackerSettings.defaults();
        byte[] state = null;
        double[] millis = new double[frames];
        float[] scores = new float[faces.size()];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = faces.get(i).score();
        }
        for (int frame = -warmup; frame < frames; frame++) {
            float dx = (frame % 5) * 1.5f;
            List<Box> boxes = new ArrayList<>(faces.size());
            for (Face face : faces) {
                var b = face.box();
                boxes.add(new Box(b.x1() + dx, b.y1(), b.x2() + dx, b.y2()));
            }
            long start = System.nanoTime();
            Tracker tracker = Tracker.restore(settings, state);
            tracker.step(1_767_225_600_000L + 200L * (frame + warmup), boxes, scores, "bench-" + frame);
            state = tracker.state();
            if (frame >= 0) {
                millis[frame] = (System.nanoTime() - start) / 1e6;
            }
        }
        return Stat.of(millis);
    }

    private static UdfResult.Emitted emitted(Subject subject, UdfResult result) {
        if (result instanceof UdfResult.Emitted emitted) {
            return emitted;
        }
        throw new IllegalStateException(subject.name() + " did not emit: " + result);
    }

    private void print(PrintWriter out, Path file, BufferedImage pixels, int faces, List<Row> rows) {
        out.printf("UDF layer on %s (%dx%d, %d faces found by MTCNN once, replayed: inference excluded)%n",
                file.getFileName(), pixels.getWidth(), pixels.getHeight(), faces);
        out.printf("%d frames and %d new instances per module after %d warm-up; milliseconds, p50 / p99%n%n",
                frames, instances, warmup);
        out.printf("%-22s %-11s %8s %6s %17s %17s %17s %17s%n", "module", "compiled", "load", "faces",
                "frame (udf)", "instance", "decode", "encode");
        for (Row row : rows) {
            out.printf("%-22s %-11s %8s %6d %17s %17s %17s %17s%n", row.name(), row.compiled(),
                    row.compiled().equals("build time") ? "-" : format(row.loadMs()), row.faces(),
                    format(row.frameMs()), format(row.instanceMs()), format(row.decodeMs()),
                    format(row.encodeMs()));
        }
        out.println();
        out.println("frame (udf): the Wasm call with host drawing and face records, inference excluded; decode and "
                + "encode (the annotated PNG) are the host's, shown apart.");
        out.println("instance: newInstance() plus the Wasm instance, its start function and init, on its first frame.");
        out.println("load: parse, ABI checks, Chicory's runtime compile and the probe instance.");
        out.printf("targets (face-annotate, build time): frame p50 ≤ %.0f ms: %s; instance p50 ≤ %.0f ms: %s%n",
                FRAME_TARGET_MS, verdict(rows.get(0).frameMs().p50() <= FRAME_TARGET_MS),
                INSTANCE_TARGET_MS, verdict(rows.get(0).instanceMs().p50() <= INSTANCE_TARGET_MS));
    }

    private ObjectNode toJson(Path file, BufferedImage pixels, int faces, List<Row> rows) {
        var mapper = new ObjectMapper();
        ObjectNode root = mapper.createObjectNode();
        root.put("image", file.toString()).put("width", pixels.getWidth()).put("height", pixels.getHeight())
                .put("replayedFaces", faces).put("frames", frames).put("instances", instances).put("warmup", warmup);
        ArrayNode modules = root.putArray("modules");
        for (Row row : rows) {
            ObjectNode module = modules.addObject();
            module.put("name", row.name()).put("compiled", row.compiled());
            if (!row.compiled().equals("build time")) {
                module.put("loadMs", round(row.loadMs()));
            }
            module.put("faces", row.faces());
            module.set("frameMs", row.frameMs().toJson(mapper));
            module.set("instanceMs", row.instanceMs().toJson(mapper));
            module.set("decodeMs", row.decodeMs().toJson(mapper));
            module.set("encodeMs", row.encodeMs().toJson(mapper));
        }
        Row reference = rows.get(0);
        root.putObject("targets")
                .put("frameMs", FRAME_TARGET_MS).put("frameMet", reference.frameMs().p50() <= FRAME_TARGET_MS)
                .put("instanceMs", INSTANCE_TARGET_MS)
                .put("instanceMet", reference.instanceMs().p50() <= INSTANCE_TARGET_MS);
        return root;
    }

    private static String format(Stat stat) {
        return format(stat.p50()) + " / " + format(stat.p99());
    }

    private static String format(double millis) {
        return String.format(Locale.ROOT, millis < 10 ? "%.3f" : "%.1f", millis);
    }

    private static String verdict(boolean met) {
        return met ? "met" : "NOT met";
    }

    private static double round(double millis) {
        return Math.round(millis * 1000) / 1000.0;
    }

    private Path imageFile(ModelStoreConfig modelConfig) {
        if (image != null) {
            if (!Files.isRegularFile(image)) {
                throw new IllegalArgumentException("image " + image + " does not exist");
            }
            return image;
        }
        return modelConfig.assetsDir().map(dir -> dir.resolve("images").resolve(PipelineBench.DEFAULT_IMAGE))
                .filter(Files::isRegularFile)
                .orElseThrow(() -> new IllegalArgumentException("no --image given and no asset dir with images/"
                        + PipelineBench.DEFAULT_IMAGE + ": pass --image FILE, --assets DIR or set " + ModelStoreConfig.ASSETS_ENV));
    }

    private static FrameInput tinyFrame() throws IOException {
        var out = new java.io.ByteArrayOutputStream();
        ImageIO.write(new BufferedImage(TINY_EDGE, TINY_EDGE, BufferedImage.TYPE_3BYTE_BGR), "png", out);
        return new FrameInput("bench", "bench-tiny", 0L, ImageEncoding.PNG, TINY_EDGE, TINY_EDGE, out.toByteArray());
    }

    private static Optional<byte[]> resource(String path) {
        try (InputStream in = UdfRuntime.class.getResourceAsStream(path)) {
            return in == null ? Optional.empty() : Optional.of(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void requireAtLeast(String option, int value, int least) {
        if (value < least) {
            throw new IllegalArgumentException(option + " must be at least " + least + ", got " + value);
        }
    }

    private void progress(String format, Object... args) {
        err.printf("sightline bench udf: " + format + "%n", args);
        err.flush();
    }

    /** Hands back faces recorded from the real detector for images of the recorded size, none for others. */
    private static final class ReplayDetector implements FaceDetector {

        private final List<Face> faces;
        private final int width;
        private final int height;

        ReplayDetector(List<Face> faces, int width, int height) {
            this.faces = List.copyOf(faces);
            this.width = width;
            this.height = height;
        }

        @Override
        public List<Face> detect(BufferedImage image, DetectionOptions options) {
            return image.getWidth() == width && image.getHeight() == height ? faces : List.of();
        }

        @Override
        public ModelInfo model() {
            return new ModelInfo("replay", "1", "0".repeat(64));
        }

        @Override
        public void close() {}
    }
}
