package io.sightline.model.internal;

import io.sightline.model.Face;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Greedy non-max suppression: keep the best-scoring face, drop every other face overlapping it too much, repeat. */
final class NonMaxSuppression {

    private NonMaxSuppression() {}

    /** The faces sorted by score, highest first, without any whose box overlaps a better one by more than maxIou. */
    static List<Face> apply(List<Face> faces, float maxIou) {
        List<Face> byScore = new ArrayList<>(faces);
        byScore.sort(Comparator.comparingDouble(Face::score).reversed());
        List<Face> kept = new ArrayList<>(byScore.size());
        for (Face candidate : byScore) {
            if (kept.stream().noneMatch(better -> better.box().iou(candidate.box()) > maxIou)) {
                kept.add(candidate);
            }
        }
        return List.copyOf(kept);
    }
}
