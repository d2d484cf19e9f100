package io.sightline.udf;

import io.sightline.model.Face;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A pipeline's UDFs run in order on one frame, each with its own instance (and config). A stage that drops the frame
 * or fails ends the chain with that result; otherwise the faces, the last annotated image and the named outputs of
 * every stage make up the chain's result. Not thread-safe, like the instances it owns.
 */
public final class UdfChain implements AutoCloseable {

    private final List<UdfInstance> stages;

    private UdfChain(List<UdfInstance> stages) {
        if (stages.isEmpty()) {
            throw new IllegalArgumentException("a UDF chain needs at least one stage");
        }
        this.stages = List.copyOf(stages);
    }

    /** A chain that owns these instances and closes them with itself. */
    public static UdfChain of(List<UdfInstance> stages) {
        return new UdfChain(stages);
    }

    public List<UdfInfo> stages() {
        return stages.stream().map(UdfInstance::info).toList();
    }

    public UdfResult process(FrameInput frame, UdfState state) {
        List<Face> faces = new ArrayList<>();
        List<UdfOutput> outputs = new ArrayList<>();
        UdfResult.Emitted last = null;
        Optional<EncodedImage> annotated = Optional.empty();
        ImageFit fit = ImageFit.NONE;
        double decode = 0;
        double udf = 0;
        double inference = 0;
        double total = 0;
        for (UdfInstance stage : stages) {
            UdfResult result = stage.process(frame, state);
            if (!(result instanceof UdfResult.Emitted emitted)) {
                return result;
            }
            last = emitted;
            faces.addAll(emitted.faces());
            outputs.addAll(emitted.outputs());
            if (emitted.annotated().isPresent()) {
                annotated = emitted.annotated();
                fit = emitted.annotatedFit();
            }
            decode += emitted.timings().decodeMs();
            udf += emitted.timings().udfMs();
            inference += emitted.timings().inferenceMs();
            total += emitted.timings().totalMs();
        }
        return new UdfResult.Emitted(faces, last.imageWidth(), last.imageHeight(), annotated, fit,
                new Timings(decode, udf, inference, total), outputs);
    }

    @Override
    public void close() {
        stages.forEach(UdfInstance::close);
    }
}
