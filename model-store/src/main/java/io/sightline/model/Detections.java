package io.sightline.model;

import java.util.List;
import java.util.Objects;

/** The faces one detection call found, and the model version that found them. */
public record Detections(List<Face> faces, ModelInfo model) {

    public Detections {
        faces = List.copyOf(faces);
        Objects.requireNonNull(model, "model");
    }
}
