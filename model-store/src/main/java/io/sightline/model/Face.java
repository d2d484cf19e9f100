package io.sightline.model;

import java.util.List;

/**
 * One detected face: its box, the detector's confidence, and five landmarks in the order left eye, right eye, nose,
 * left mouth corner, right mouth corner.
 */
public record Face(BoundingBox box, float score, List<Point> landmarks) {

    public static final int LANDMARKS = 5;

    public Face {
        if (landmarks.size() != LANDMARKS) {
            throw new IllegalArgumentException("a face has " + LANDMARKS + " landmarks, got " + landmarks.size());
        }
        landmarks = List.copyOf(landmarks);
    }
}
