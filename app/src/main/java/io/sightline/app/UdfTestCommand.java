package io.sightline.app;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sightline.model.DetectionOptions;
import io.sightline.model.FaceDetector;
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
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Runs one UDF, bundled or from a .wasm file, on image files: what a module will do, before it is deployed. */
@Command(name = "test", mixinStandardHelpOptions = true,
        description = "Run a UDF on image files, locally (no broker): a bundled UDF by name, or a .wasm module "
                + "loaded and checked exactly as a deployment would be.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every image was processed (emitted or dropped by the UDF)",
                "1:at least one image failed (see its error)",
                "2:bad arguments, or the module was refused (one line says why)"})
final class UdfTestCommand implements Callable<Integer> {

    /** Version given to a module loaded from a file: it has not been deployed, so it has no version yet. */
    static final String LOCAL_VERSION = "local";

    @Parameters(index = "0", paramLabel = "NAME|FILE.wasm",
            description = "A bundled UDF (face-annotate, face-blur, crowd-alert, frame-sampler) or a WebAssembly "
                    + "module file (NAME.wasm).")
    String udf;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "IMAGE",
            description = "JPEG or PNG files, or folders: their *.jpg, *.jpeg and *.png files, sub-folders included.")
    List<Path> images;

    @Option(names = "--config", paramLabel = "JSON", defaultValue = UdfDeployment.NO_CONFIG,
            description = "The UDF's config, handed to it as is (default: ${DEFAULT-VALUE}).")
    String config;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Write each emitted image to DIR/<image name>.png (or .jpg when a PNG would be too large), "
                    + "and each record of a named output to DIR/<image name>.<output>.png|.jpg|.json "
                    + "(-2, -3, ... before the extension for more records to the same output).")
    Path outDir;

    @Option(names = "--json", description = "One JSON object per image on stdout, as `detect --json` prints.")
    boolean json;

    @Option(names = "--min-face", paramLabel = "N", defaultValue = "20",
            description = "Smallest face the host's detector finds when the UDF asks for the default, in pixels "
                    + "(default: ${DEFAULT-VALUE}).")
    float minFace;

    @Mixin
    AssetOptions assets;

    @Spec
    CommandSpec spec;

    private long loadNanos;

    @Override
    public Integer call() throws IOException {
        List<Path> files = DetectCommand.imageFiles(images);
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
        PrintWriter out = spec.commandLine().getOut();
        int failures = 0;
        try (UdfStack stack = UdfStack.open(assets.modelStoreConfig(), new DetectionOptions(minFace),
                FrameLimits.defaults(), this::runtime);
                UdfInstance instance = stack.runtime().newInstance()) {
            if (!json) {
                UdfInfo info = stack.runtime().info();
                out.printf("%s (%s, sha256 %s): loaded in %.0f ms%n", info.label(), source(), info.sha256(),
                        loadNanos / 1e6);
            }
            for (Path image : files) {
                ObjectNode result = DetectCommand.detect(stack, instance, image, outDir,
                        (emitted, object) -> writeOutputs(image, emitted, object));
                failures += failed(result) ? 1 : 0;
                DetectCommand.print(out, result, json);
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
        String name = DetectCommand.stem(file).toLowerCase(Locale.ROOT);
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
                Path file = outDir.resolve(DetectCommand.stem(image) + "." + output.output() + (n == 1 ? "" : "-" + n)
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
