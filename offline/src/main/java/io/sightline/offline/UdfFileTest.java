package io.sightline.offline;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sightline.ingest.ImageFiles;
import io.sightline.model.DetectionOptions;
import io.sightline.model.FaceDetector;
import io.sightline.model.ModelStoreConfig;
import io.sightline.offline.FileDetection;
import io.sightline.schemas.DeadLetterReason;
import io.sightline.schemas.FrameLimits;
import io.sightline.stream.UdfStack;
import io.sightline.udf.UdfConfig;
import io.sightline.udf.UdfDeployment;
import io.sightline.udf.UdfDeploymentException;
import io.sightline.udf.UdfInfo;
import io.sightline.udf.UdfInstance;
import io.sightline.udf.UdfOutput;
import io.sightline.udf.UdfResult;
import io.sightline.udf.UdfRuntime;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Runs one UDF, bundled or from a .wasm file, on image files: what a module will do, before it is deployed. */
public final class UdfFileTest {

    /** What the command line asked for. */
    public record Settings(String udf, List<Path> images, String config, Path outDir, boolean json, float minFace) {}

    private final String udf;
    private final List<Path> images;
    private final String config;
    private final Path outDir;
    private final boolean json;
    private final float minFace;
    private final ModelStoreConfig modelStore;
    private final PrintWriter out;
    private final PrintWriter err;

    public UdfFileTest(Settings settings, ModelStoreConfig modelStore, PrintWriter out, PrintWriter err) {
        this.udf = settings.udf();
        this.images = settings.images();
        this.config = settings.config();
        this.outDir = settings.outDir();
        this.json = settings.json();
        this.minFace = settings.minFace();
        this.modelStore = modelStore;
        this.out = out;
        this.err = err;
    }

    /** Version given to a module loaded from a file: it has not been deployed, so it has no version yet. */
    static final String LOCAL_VERSION = "local";

    private long loadNanos;

    /** Runs the UDF on every image and prints each result; the exit code: 0, or 1 when an image failed. */
    public int run() throws IOException {
        List<Path> files = ImageFiles.of(images);
        requireJson(config);
        // Before the model store opens: a typo should not wait for TensorFlow.
        if (isModuleFile() && !Files.isRegularFile(Path.of(udf))) {
            throw new IllegalArgumentException("module " + udf + " does not exist");
        }
        if (!isModuleFile() && !UdfRuntime.bundledNames().contains(udf)) {
            throw new UdfDeploymentException("no bundled UDF is named " + udf + "; bundled: "
                    + String.join(", ", UdfRuntime.bundledNames()) + " (or give a FILE.wasm)");
        }
        if (outDir != null) {
            Files.createDirectories(outDir);
        }
        int failures = 0;
        try (UdfStack stack = UdfStack.open(modelStore, new DetectionOptions(minFace),
                FrameLimits.defaults(), this::runtime);
                UdfInstance instance = stack.runtime().newInstance()) {
            if (!json) {
                UdfInfo info = stack.runtime().info();
                out.printf("%s (%s, sha256 %s): loaded in %.0f ms%n", info.label(), source(), info.sha256(),
                        loadNanos / 1e6);
            }
            for (Path image : files) {
                ObjectNode result = FileDetection.detect(stack, instance, image, outDir,
                        (emitted, object) -> writeOutputs(image, emitted, object));
                failures += failed(result) ? 1 : 0;
                FileDetection.print(out, result, json);
                if (!json) {
                    printOutputs(out, result);
                }
            }
        }
        return failures == 0 ? 0 : 1;
    }

    private UdfRuntime runtime(FaceDetector detector, UdfConfig limits) {
        long start = System.nanoTime();
        UdfRuntime runtime = isModuleFile() ? load(detector, limits) : UdfRuntime.bundled(udf, config, detector, limits);
        loadNanos = System.nanoTime() - start;
        return runtime;
    }

    /** Parses, checks, compiles and probes the module, as a deployment would. */
    private UdfRuntime load(FaceDetector detector, UdfConfig limits) {
        Path file = Path.of(udf);
        byte[] wasm;
        try {
            wasm = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read module " + file + ": " + e.getMessage(), e);
        }
        String name = FileDetection.stem(file).toLowerCase(Locale.ROOT);
        return UdfRuntime.load(new UdfDeployment(name, LOCAL_VERSION, wasm, config), detector, limits);
    }

    private boolean isModuleFile() {
        return udf.endsWith(".wasm") || udf.contains("/") || Files.isRegularFile(Path.of(udf));
    }

    private String source() {
        return isModuleFile() ? "from " + udf + ", compiled at run time" : "bundled, compiled at build time";
    }

    /**
     * Lists the frame's named-output records in its JSON object ({@code outputs}: output, contentType, bytes and,
     * with {@code --out}, the file written).
     */
    private void writeOutputs(Path image, UdfResult.Emitted emitted, ObjectNode result) throws IOException {
        ArrayNode list = result.putArray("outputs");
        Map<String, Integer> records = new HashMap<>();
        for (UdfOutput output : emitted.outputs()) {
            int n = records.merge(output.output(), 1, Integer::sum);
            ObjectNode entry = list.addObject();
            entry.put("output", output.output());
            entry.put("contentType", output.contentType());
            entry.put("bytes", output.payload().length);
            if (outDir != null) {
                Path file = outDir.resolve(FileDetection.stem(image) + "." + output.output() + (n == 1 ? "" : "-" + n)
                        + "." + extension(output.contentType()));
                Files.write(file, output.payload());
                entry.put("file", file.toString());
            }
        }
    }

    private static void printOutputs(PrintWriter out, ObjectNode result) {
        for (var entry : result.path("outputs")) {
            out.printf("  %s: %s, %d bytes%s%n", entry.get("output").asText(), entry.get("contentType").asText(),
                    entry.get("bytes").asInt(), entry.has("file") ? " -> " + entry.get("file").asText() : "");
        }
        out.flush();
    }

    private static String extension(String contentType) {
        return switch (contentType) {
            case "image/png" -> "png";
            case "image/jpeg" -> "jpg";
            case "application/json" -> "json";
            default -> "bin";
        };
    }

    /** A frame the UDF chose to drop is a result, not a failure. */
    private static boolean failed(ObjectNode result) {
        return result.has("error")
                && !DeadLetterReason.DROPPED_BY_UDF.name().equals(result.at("/error/code").asText());
    }

    private static void requireJson(String text) {
        try {
            if (new ObjectMapper().readTree(text).isMissingNode()) {
                throw new IllegalArgumentException("--config is empty: give JSON, e.g. {}");
            }
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("--config is not valid JSON: " + e.getOriginalMessage());
        }
    }
}
