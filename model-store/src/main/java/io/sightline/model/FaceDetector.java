package io.sightline.model;

import java.awt.image.BufferedImage;
import java.util.List;

/**
 * Finds faces in a decoded image. Implementations are thread-safe and hold native resources: close them.
 */
public interface FaceDetector extends AutoCloseable {

    /** Faces found in the image, highest score first, with near-duplicate boxes removed. */
    List<Face> detect(BufferedImage image, DetectionOptions options);

    /** The model this detector runs now. */
    ModelInfo model();

    /**
     * Faces with the model that found them. A detector whose model can be switched between calls overrides this so
     * the pair is taken atomically; for the others it is {@link #detect} and {@link #model}.
     */
    default Detections detectWithModel(BufferedImage image, DetectionOptions options) {
        return new Detections(detect(image, options), model());
    }

    @Override
    void close();

    /**
     * A detector that finds nobody and holds nothing: for checking a UDF module without loading a model, and for
     * tests about what happens around a UDF.
     */
    static FaceDetector none() {
        return new FaceDetector() {
            @Override
            public List<Face> detect(BufferedImage image, DetectionOptions options) {
                return List.of();
            }

            @Override
            public ModelInfo model() {
                return new ModelInfo("none", "none", "0".repeat(64));
            }

            @Override
            public void close() {}
        };
    }
}
