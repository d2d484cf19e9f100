package io.sightline.udf;

import io.sightline.model.Face;
import io.sightline.model.ModelInfo;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** What a UDF made of one frame. */
public sealed interface UdfResult permits UdfResult.Emitted, UdfResult.Dropped, UdfResult.Failed {

    /**
     * The UDF reported these faces (in pixels of the original image, of the given size), and possibly an annotated
     * image, fitted to the size limit as {@code annotatedFit} says.
     *
     * @param model the model version whose detection the UDF last read; empty when it ran none
     */
    record Emitted(List<Face> faces, int imageWidth, int imageHeight, Optional<EncodedImage> annotated,
            ImageFit annotatedFit, Timings timings, List<UdfOutput> outputs, Optional<ModelInfo> model)
            implements UdfResult {

        public Emitted {
            faces = List.copyOf(faces);
            Objects.requireNonNull(annotated, "annotated");
            Objects.requireNonNull(annotatedFit, "annotatedFit");
            Objects.requireNonNull(timings, "timings");
            outputs = List.copyOf(outputs);
            Objects.requireNonNull(model, "model");
        }

        /** A result that names no model. */
        public Emitted(List<Face> faces, int imageWidth, int imageHeight, Optional<EncodedImage> annotated,
                ImageFit annotatedFit, Timings timings, List<UdfOutput> outputs) {
            this(faces, imageWidth, imageHeight, annotated, annotatedFit, timings, outputs, Optional.empty());
        }

        /** A result with no named outputs that names no model. */
        public Emitted(List<Face> faces, int imageWidth, int imageHeight, Optional<EncodedImage> annotated,
                ImageFit annotatedFit, Timings timings) {
            this(faces, imageWidth, imageHeight, annotated, annotatedFit, timings, List.of());
        }
    }

    /** The UDF chose to produce nothing for this frame. */
    record Dropped(String reason, Timings timings) implements UdfResult {}

    /** The frame could not be processed; {@code stage} is where it failed (decode, udf, inference). */
    record Failed(FailureCode code, String stage, String message) implements UdfResult {}
}
