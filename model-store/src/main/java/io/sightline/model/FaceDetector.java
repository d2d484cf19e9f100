package io.sightline.model;

import java.awt.image.BufferedImage;
import java.util.List;

/**
 * Finds faces in a decoded image. Implementations are thread-safe and hold native resources: close them.
 */
public interface FaceDetector extends AutoCloseable {

    /** Faces found in the image, highest score first, with near-duplicate boxes removed. */
    List<Face> detect(BufferedImage image, DetectionOptions options);

    ModelInfo model();

    @Override
    void close();
}
