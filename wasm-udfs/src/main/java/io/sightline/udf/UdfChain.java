package io.sightline.udf;

import io.sightline.model.Face;
import io.sightline.model.ModelInfo;
import io.sightline.udf.internal.BufferedState;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A pipeline's UDFs run in order on one frame, each with its own instance (and config). The stages share one frame:
 * it is decoded once, on first use, each stage sees what earlier ones drew or blurred, and a face detection on the
 * same image and minimum face size runs once however many stages ask. A stage that drops the frame or fails ends the
 * chain with that result, its message naming the stage ({@code name@version}); otherwise the faces, the last
 * annotated image and the named outputs of every stage make up the chain's result. State writes of all stages are
 * applied together, and only when no stage failed. Not thread-safe, like the instances it owns.
 */
public final class UdfChain implements AutoCloseable {

    private static final double NANOS_PER_MILLI = 1_000_000.0;

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
        long start = System.nanoTime();
        BufferedState chainState = new BufferedState(state);
        List<Face> faces = new ArrayList<>();
        List<UdfOutput> outputs = new ArrayList<>();
        UdfResult.Emitted last = null;
        Optional<ModelInfo> model = Optional.empty();
        Optional<EncodedImage> annotated = Optional.empty();
        ImageFit fit = ImageFit.NONE;
        double decode = 0;
        double udf = 0;
        double inference = 0;
        int inferences = 0;
        // The first stage's image limits decide how the shared frame is decoded.
        try (SharedFrame shared = SharedFrame.of(frame, stages.get(0).imageLimits())) {
            for (UdfInstance stage : stages) {
                UdfResult result = stage.process(shared, chainState);
                if (result instanceof UdfResult.Failed failed) {
                    return named(failed, stage.info());
                }
                if (result instanceof UdfResult.Dropped dropped) {
                    chainState.commit();
                    return dropped;
                }
                UdfResult.Emitted emitted = (UdfResult.Emitted) result;
                last = emitted;
                if (emitted.model().isPresent()) {
                    model = emitted.model();
                }
                faces.addAll(emitted.faces());
                outputs.addAll(emitted.outputs());
                if (emitted.annotated().isPresent()) {
                    annotated = emitted.annotated();
                    fit = emitted.annotatedFit();
                }
                decode += emitted.timings().decodeMs();
                udf += emitted.timings().udfMs();
                inference += emitted.timings().inferenceMs();
                inferences += emitted.timings().inferences();
            }
        }
        chainState.commit();
        double total = (System.nanoTime() - start) / NANOS_PER_MILLI;
        return new UdfResult.Emitted(faces, last.imageWidth(), last.imageHeight(), annotated, fit,
                new Timings(decode, udf, inference, total, inferences), outputs, model);
    }

    /** The failure with its message naming the stage, which UDF failures already do; others (decode, inference) get it. */
    private static UdfResult.Failed named(UdfResult.Failed failed, UdfInfo stage) {
        if (failed.message().startsWith(stage.label() + " ")) {
            return failed;
        }
        return new UdfResult.Failed(failed.code(), failed.stage(), stage.label() + ": " + failed.message());
    }

    @Override
    public void close() {
        stages.forEach(UdfInstance::close);
    }
}
