package io.sightline.model.eval;

import io.sightline.model.BoundingBox;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Compares a detector's boxes with hand-labelled ones. Within an image, pairs are taken greedily from the highest IoU
 * down, each label and each detection at most once, and a pair counts only at or above the IoU floor.
 */
public final class FaceMatching {

    private FaceMatching() {}

    /** One image: how many labels, detections and matched pairs it has. */
    public record ImageResult(String file, int labels, int detections, int matched) {

        public ImageResult {
            if (matched > labels || matched > detections) {
                throw new IllegalArgumentException("more matches (" + matched + ") than labels or detections");
            }
        }

        /** Labelled faces the detector did not find. */
        public int misses() {
            return labels - matched;
        }

        /** Detections that match no labelled face. */
        public int falsePositives() {
            return detections - matched;
        }
    }

    /** A whole labelled set: totals, recall, precision and the images without faces that stayed clean. */
    public record Summary(int images, int labels, int detections, int matched, int negatives, int cleanNegatives) {

        public static Summary of(List<ImageResult> results) {
            int labels = 0;
            int detections = 0;
            int matched = 0;
            int negatives = 0;
            int clean = 0;
            for (ImageResult result : results) {
                labels += result.labels();
                detections += result.detections();
                matched += result.matched();
                if (result.labels() == 0) {
                    negatives++;
                    clean += result.detections() == 0 ? 1 : 0;
                }
            }
            return new Summary(results.size(), labels, detections, matched, negatives, clean);
        }

        /** Matched labels over labels; 1 when there are no labels to find. */
        public double recall() {
            return labels == 0 ? 1 : (double) matched / labels;
        }

        /** Matched detections over detections; 1 when nothing was detected. */
        public double precision() {
            return detections == 0 ? 1 : (double) matched / detections;
        }
    }

    /** Matches one image's detections against its labels. */
    public static ImageResult match(String file, List<BoundingBox> labels, List<BoundingBox> detections, double minIou) {
        record Pair(int label, int detection, double iou) {}
        List<Pair> pairs = new ArrayList<>();
        for (int l = 0; l < labels.size(); l++) {
            for (int d = 0; d < detections.size(); d++) {
                double iou = labels.get(l).iou(detections.get(d));
                if (iou >= minIou && iou > 0) {
                    pairs.add(new Pair(l, d, iou));
                }
            }
        }
        pairs.sort(Comparator.comparingDouble(Pair::iou).reversed());
        boolean[] labelTaken = new boolean[labels.size()];
        boolean[] detectionTaken = new boolean[detections.size()];
        int matched = 0;
        for (Pair pair : pairs) {
            if (!labelTaken[pair.label()] && !detectionTaken[pair.detection()]) {
                labelTaken[pair.label()] = true;
                detectionTaken[pair.detection()] = true;
                matched++;
            }
        }
        return new ImageResult(file, labels.size(), detections.size(), matched);
    }
}
