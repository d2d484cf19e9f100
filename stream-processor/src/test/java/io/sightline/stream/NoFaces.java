package io.sightline.stream;

import io.sightline.model.DetectionOptions;
import io.sightline.model.Face;
import io.sightline.model.FaceDetector;
import io.sightline.model.ModelInfo;
import java.awt.image.BufferedImage;
import java.util.List;

/** A detector that finds nobody: for tests about what happens around a real UDF, where no model is needed. */
final class NoFaces implements FaceDetector {
    @Override
    public List<Face> detect(BufferedImage image, DetectionOptions options) {
        return List.of();
    }

    @Override
    public ModelInfo model() {
        return new ModelInfo("none", "1", "0".repeat(64));
    }

    @Override
    public void close() {}
}
