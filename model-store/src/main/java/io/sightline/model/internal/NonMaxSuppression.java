package io.sightline.model.internal;

import io.sightline.model.BoundingBox;
import io.sightline.model.Face;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Greedy non-max suppression: keep the best-scoring face, drop every other face overlapping it too much or lying
 * inside it, repeat.
 */
final class NonMaxSuppression {

    private NonMaxSuppression() {}

    /**
     * The faces sorted by score, highest first, without any whose box overlaps a better one by more than maxIou or has
     * more than maxInside of its own area inside a better one's box.
     */
    static List<Face> apply(List<Face> faces, float maxIou, float maxInside) {
        List<Face> byScore = new ArrayList<>(faces);
        byScore.sort(Comparator.comparingDouble(Face::score).reversed());
        List<Face> kept = new ArrayList<>(byScore.size());
        for (Face candidate : byScore) {
            if (kept.stream().noneMatch(better -> better.box().iou(candidate.box()) > maxIou
                    || insideFraction(candidate.box(), better.box()) > maxInside)) {
                kept.add(candidate);
            }
        }
        return List.copyOf(kept);
    }

    /** How much of {@code box}'s area lies inside {@code other}, from 0 to 1. */
    static float insideFraction(BoundingBox box, BoundingBox other) {
        float ix = Math.max(0, Math.min(box.x2(), other.x2()) - Math.max(box.x1(), other.x1()));
        float iy = Math.max(0, Math.min(box.y2(), other.y2()) - Math.max(box.y1(), other.y1()));
        return box.area() <= 0 ? 0 : ix * iy / box.area();
    }
}
