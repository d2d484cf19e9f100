package io.sightline.stream;

import io.sightline.model.Face;
import io.sightline.model.ModelInfo;
import io.sightline.schemas.DeadLetterReason;
import io.sightline.udf.EncodedImage;
import io.sightline.udf.FrameInput;
import io.sightline.udf.ImageFit;
import io.sightline.udf.SharedFrame;
import io.sightline.udf.Timings;
import io.sightline.udf.UdfInfo;
import io.sightline.udf.UdfOutput;
import io.sightline.udf.UdfResult;
import io.sightline.udf.UdfState;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * One processor's instances of a pipeline's stages, run in order on a frame. The stages share one {@link SharedFrame}:
 * one decode and one face detection per frame however many stages there are, and each stage sees what earlier ones
 * drew or blurred. Each stage gets its own state (scoped by the caller per pipeline, UDF and camera), which is why
 * the stages are run here one by one rather than by a {@link io.sightline.udf.UdfChain} that hands every stage the
 * same state. Before each frame, a stage whose UDF was
 * redeployed takes an instance of the new version, so a switch happens between two records and only for that stage.
 * Not thread-safe, like the instances it holds.
 */
public final class PipelineChain implements AutoCloseable {

    private final Pipeline pipeline;
    private final List<ActiveUdf> active;
    private final List<ActiveUdf.Lease> leases = new ArrayList<>();

    PipelineChain(Pipeline pipeline, List<ActiveUdf> active) {
        this.pipeline = pipeline;
        this.active = List.copyOf(active);
        try {
            this.active.forEach(udf -> leases.add(udf.acquire()));
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** What became of a frame. */
    public sealed interface Outcome permits Completed, Ended {}

    /**
     * Every stage emitted. The faces and image size are those of the last stage that reported faces ({@code udf}),
     * else of the last that emitted an image, else of the last stage; the annotated image is the last one emitted;
     * the outputs are every stage's; timings are summed; {@code stages} are the UDFs that ran, in order.
     */
    public record Completed(UdfResult.Emitted result, UdfInfo udf, ModelInfo model, List<UdfInfo> stages)
            implements Outcome {}

    /** A stage dropped the frame, failed, or broke its declaration; nothing of the frame is published but this. */
    public record Ended(DeadLetterReason reason, String stage, String message, UdfInfo udf) implements Outcome {}

    public Pipeline pipeline() {
        return pipeline;
    }

    /** @param stateOf the state each stage reads and writes for this frame's camera */
    public Outcome process(FrameInput frame, Function<Pipeline.Stage, UdfState> stateOf) {
        refresh();
        int count = leases.size();
        UdfResult.Emitted producer = null;
        UdfInfo producerUdf = null;
        ModelInfo model = null;
        Optional<EncodedImage> annotated = Optional.empty();
        ImageFit fit = ImageFit.NONE;
        List<UdfOutput> outputs = new ArrayList<>();
        double decode = 0;
        double udf = 0;
        double inference = 0;
        int inferences = 0;
        double total = 0;
        List<UdfInfo> ran = new ArrayList<>(count);
        // The first stage's limits decide how the shared frame is decoded; all stages run under the same ones.
        try (SharedFrame shared = SharedFrame.of(frame, leases.get(0).instance().imageLimits())) {
            for (int i = 0; i < count; i++) {
                Pipeline.Stage stage = pipeline.stages().get(i);
                ActiveUdf.Lease lease = leases.get(i);
                UdfInfo info = lease.runtime().info();
                ran.add(info);
                UdfResult result = lease.instance().process(shared, stateOf.apply(stage));
                if (result instanceof UdfResult.Dropped dropped) {
                    return new Ended(DeadLetterReason.DROPPED_BY_UDF, "udf", dropped.reason() + " in pipeline "
                            + pipeline.name() + ", stage " + (i + 1) + " of " + count, info);
                }
                if (result instanceof UdfResult.Failed failed) {
                    return new Ended(FailureReasons.of(failed.code()), failed.stage(), failed.message(), info);
                }
                var emitted = (UdfResult.Emitted) result;
                for (UdfOutput output : emitted.outputs()) {
                    if (!stage.outputs().contains(output.output())) {
                        return new Ended(DeadLetterReason.UNDECLARED_OUTPUT, "udf", info.label()
                                + " emitted to output " + output.output() + ", which stage " + (i + 1) + " of pipeline " + pipeline.name()
                                + " does not declare: add it to the stage's outputs: in the pipelines file", info);
                    }
                }
                outputs.addAll(emitted.outputs());
                boolean reportsFaces = !emitted.faces().isEmpty();
                boolean emitsImage = emitted.annotated().isPresent();
                if (emitsImage) {
                    annotated = emitted.annotated();
                    fit = emitted.annotatedFit();
                }
                if (producer == null || reportsFaces || (producer.faces().isEmpty() && emitsImage)
                        || (producer.faces().isEmpty() && producer.annotated().isEmpty())) {
                    producer = emitted;
                    producerUdf = info;
                    model = emitted.model().orElseGet(lease.runtime()::model);
                }
                decode += emitted.timings().decodeMs();
                udf += emitted.timings().udfMs();
                inference += emitted.timings().inferenceMs();
                inferences += emitted.timings().inferences();
                total += emitted.timings().totalMs();
            }
        }
        List<Face> faces = producer.faces();
        var combined = new UdfResult.Emitted(faces, producer.imageWidth(), producer.imageHeight(), annotated, fit,
                new Timings(decode, udf, inference, total, inferences), outputs, Optional.of(model));
        return new Completed(combined, producerUdf, model, ran);
    }

    /** Stages whose UDF was redeployed take an instance of the new version; a failure leaves the old one. */
    private void refresh() {
        for (int i = 0; i < leases.size(); i++) {
            ActiveUdf.Lease lease = leases.get(i);
            if (lease.runtime() != active.get(i).current()) {
                leases.set(i, active.get(i).acquire());
                lease.close();
            }
        }
    }

    @Override
    public void close() {
        leases.forEach(ActiveUdf.Lease::close);
        leases.clear();
    }
}
