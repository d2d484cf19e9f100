package io.sightline.offline;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sightline.ingest.ImageHeader;
import io.sightline.ingest.ImageProbe;
import io.sightline.ingest.RejectedImageException;
import io.sightline.readers.OutputCollector;
import io.sightline.schemas.DeadLetterReason;
import io.sightline.schemas.DeadLetterStage;
import io.sightline.schemas.FrameLimits;
import io.sightline.stream.FailureReasons;
import io.sightline.stream.Pipeline;
import io.sightline.stream.PipelineChain;
import io.sightline.stream.UdfStack;
import io.sightline.udf.EncodedImage;
import io.sightline.udf.FrameInput;
import io.sightline.udf.ImageEncoding;
import io.sightline.udf.UdfInstance;
import io.sightline.udf.UdfOutput;
import io.sightline.udf.UdfResult;
import io.sightline.udf.UdfState;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * Runs frames read from image files through a pipeline's chain or one UDF, without a broker: what {@code detect} and
 * {@code udf test} do, and what {@code models eval} reads images with. Each file is a frame of the camera "cli",
 * captured at the file's time; the result of each is the JSON object {@code detect --json} prints.
 */
public final class FileDetection {


    private static final ObjectMapper MAPPER = new ObjectMapper();

    private FileDetection() {}

    /** The image file as the camera "cli" would send it, its size and encoding read from its header. */
    private static FrameInput frameInput(Path image) throws IOException, RejectedImageException {
        byte[] bytes = Files.readAllBytes(image);
        ImageHeader header = new ImageProbe(FrameLimits.DEFAULT_MAX_PIXELS).probe(bytes);
        return new FrameInput("cli", stem(image), Files.getLastModifiedTime(image).toMillis(),
                ImageEncoding.valueOf(header.encoding().name()), header.width(), header.height(), bytes);
    }

    /**
     * Runs one image file through a pipeline, writing the annotated image and each named output to {@code outDir}
     * when given; returns what `detect --json` prints for it, with the pipeline and its outputs.
     */
    public static ObjectNode detect(PipelineChain chain, Path image, Path outDir, Function<Pipeline.Stage, UdfState> states)
            throws IOException {
        FrameInput input;
        try {
            input = frameInput(image);
        } catch (RejectedImageException e) {
            return DetectJson.failed(image.toString(), e.reason().name(), DeadLetterStage.INGEST.label(), e.getMessage());
        }
        String frameId = input.frameId();
        PipelineChain.Outcome outcome = chain.process(input, states);
        if (outcome instanceof PipelineChain.Ended ended) {
            return DetectJson.failed(image.toString(), ended.reason().name(), ended.stage(), ended.message());
        }
        var completed = (PipelineChain.Completed) outcome;
        UdfResult.Emitted emitted = completed.result();
        writeAnnotated(outDir, frameId, emitted);
        ObjectNode result = DetectJson.emitted(image.toString(), emitted, completed.model(), completed.udf());
        result.put("pipeline", chain.pipeline().name());
        ArrayNode outputs = result.putArray("outputs");
        for (UdfOutput output : emitted.outputs()) {
            ObjectNode node = outputs.addObject().put("output", output.output())
                    .put("contentType", output.contentType()).put("bytes", output.payload().length);
            node.putObject("udf").put("name", output.udf().name()).put("version", output.udf().version())
                    .put("sha256", output.udf().sha256());
            if (output.contentType().equals("application/json")) {
                node.set("json", MAPPER.readTree(output.payload()));
            }
            if (outDir != null) {
                Path file = outDir.resolve(frameId + "." + output.output() + "." + suffix(output.contentType()));
                Files.write(file, output.payload());
                node.put("file", file.toString());
            }
        }
        return result;
    }

    /** The emitted image as {@code <frame id>.png|jpg} in {@code outDir}, when a folder is given and there is one. */
    private static void writeAnnotated(Path outDir, String frameId, UdfResult.Emitted emitted) throws IOException {
        if (outDir != null && emitted.annotated().isPresent()) {
            EncodedImage annotated = emitted.annotated().get();
            Files.write(outDir.resolve(frameId + "." + OutputCollector.fileSuffix(annotated.encoding().name())),
                    annotated.bytes());
        }
    }

    private static String suffix(String contentType) {
        return switch (contentType) {
            case "application/json" -> "json";
            case "image/png" -> "png";
            case "image/jpeg" -> "jpg";
            default -> "bin";
        };
    }

    /**
     * Runs one image file through the UDF, writing the emitted image to {@code outDir/<stem>.png|jpg} when a folder
     * is given; returns what `detect --json` prints for it.
     */
    public static ObjectNode detect(UdfStack stack, UdfInstance udf, Path image, Path outDir) throws IOException {
        return detect(stack, udf, image, outDir, (emitted, result) -> {});
    }

    /** Also hands every emitted result, with its JSON object, to {@code onEmitted} (e.g. to write named outputs). */
    public static ObjectNode detect(UdfStack stack, UdfInstance udf, Path image, Path outDir, EmittedHandler onEmitted)
            throws IOException {
        FrameInput input;
        try {
            input = frameInput(image);
        } catch (RejectedImageException e) {
            return DetectJson.failed(image.toString(), e.reason().name(), DeadLetterStage.INGEST.label(), e.getMessage());
        }
        String frameId = input.frameId();
        UdfResult result = udf.process(input);
        if (result instanceof UdfResult.Emitted emitted) {
            writeAnnotated(outDir, frameId, emitted);
            ObjectNode json = DetectJson.emitted(image.toString(), emitted, stack.model(), stack.runtime().info());
            onEmitted.accept(emitted, json);
            return json;
        } else if (result instanceof UdfResult.Failed failed) {
            return DetectJson.failed(image.toString(), FailureReasons.of(failed.code()).name(), failed.stage(), failed.message());
        }
        var dropped = (UdfResult.Dropped) result;
        return DetectJson.failed(image.toString(), DeadLetterReason.DROPPED_BY_UDF.name(), "udf", dropped.reason());
    }

    /** Does more with a frame's emitted result and its JSON object. */
    @FunctionalInterface
    public interface EmittedHandler {
        void accept(UdfResult.Emitted emitted, ObjectNode result) throws IOException;
    }

    /** One image's result: its JSON object, or one line for people. */
    public static void print(PrintWriter out, ObjectNode result, boolean json) throws IOException {
        if (json) {
            out.println(MAPPER.writeValueAsString(result));
        } else if (result.has("error")) {
            var error = result.get("error");
            out.printf("%s: %s at %s: %s%n", result.get("image").asText(), error.get("code").asText(),
                    error.get("stage").asText(), error.get("message").asText());
        } else {
            out.printf("%s: %d faces in %dx%d, %.0f ms (inference %.0f ms, udf %.1f ms)%n",
                    result.get("image").asText(), result.get("faces").size(), result.get("width").asInt(),
                    result.get("height").asInt(), result.at("/timingsMs/total").asDouble(),
                    result.at("/timingsMs/inference").asDouble(), result.at("/timingsMs/udf").asDouble());
        }
        out.flush();
    }


    public static String stem(Path image) {
        String name = image.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }
}
