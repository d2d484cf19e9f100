package io.sightline.model.eval;

import static org.assertj.core.api.Assertions.assertThat;

import io.sightline.model.BoundingBox;
import java.util.List;
import org.junit.jupiter.api.Test;

class FaceMatchingTest {

    private static final double IOU = 0.4;

    @Test
    void countsMatchesMissesAndFalsePositives() {
        List<BoundingBox> labels = List.of(box(0, 0, 10, 10), box(100, 0, 110, 10), box(200, 0, 210, 10));
        List<BoundingBox> detections = List.of(box(1, 1, 11, 11), box(101, 0, 111, 10), box(300, 0, 310, 10));

        FaceMatching.ImageResult result = FaceMatching.match("a.jpg", labels, detections, IOU);

        assertThat(result).isEqualTo(new FaceMatching.ImageResult("a.jpg", 3, 3, 2));
        assertThat(result.misses()).isEqualTo(1);
        assertThat(result.falsePositives()).isEqualTo(1);
    }

    @Test
    void aPairCountsFromTheIouFloorUp() {
        List<BoundingBox> label = List.of(box(0, 0, 10, 10));

        // 40 of 100 pixels shared: IoU exactly 0.4.
        assertThat(FaceMatching.match("a", label, List.of(box(0, 0, 10, 4)), IOU).matched()).isEqualTo(1);
        // 39 of 100: IoU 0.39.
        assertThat(FaceMatching.match("a", label, List.of(box(0, 0, 10, 3.9f)), IOU).matched()).isZero();
    }

    @Test
    void oneDetectionOnTwoLabelsMatchesOnlyOne() {
        List<BoundingBox> labels = List.of(box(0, 0, 10, 10), box(1, 0, 11, 10));

        FaceMatching.ImageResult result = FaceMatching.match("a", labels, List.of(box(0, 0, 11, 10)), IOU);

        assertThat(result.matched()).isEqualTo(1);
        assertThat(result.misses()).isEqualTo(1);
        assertThat(result.falsePositives()).isZero();
    }

    @Test
    void twoDetectionsOnOneLabelLeaveOneFalsePositive() {
        FaceMatching.ImageResult result = FaceMatching.match("a", List.of(box(0, 0, 10, 10)),
                List.of(box(0, 0, 10, 10), box(1, 1, 10, 10)), IOU);

        assertThat(result.matched()).isEqualTo(1);
        assertThat(result.falsePositives()).isEqualTo(1);
    }

    @Test
    void pairsAreTakenFromTheHighestIouDown() {
        BoundingBox a = box(0, 0, 10, 10);
        BoundingBox b = box(5, 0, 15, 10);
        BoundingBox nearB = box(4, 0, 14, 10); // IoU 0.43 with a, 0.82 with b
        BoundingBox onA = box(0, 0, 9, 10); // IoU 0.9 with a, 0.27 with b
        // Giving each label in turn the first detection above the floor would pair a with nearB and leave b none.

        assertThat(FaceMatching.match("a", List.of(a, b), List.of(nearB, onA), IOU).matched()).isEqualTo(2);
    }

    @Test
    void summaryGivesRecallPrecisionAndCleanNegatives() {
        var summary = FaceMatching.Summary.of(List.of(
                new FaceMatching.ImageResult("faces.jpg", 4, 3, 3),
                new FaceMatching.ImageResult("group.jpg", 6, 7, 5),
                new FaceMatching.ImageResult("cat.jpg", 0, 0, 0),
                new FaceMatching.ImageResult("tree.jpg", 0, 1, 0)));

        assertThat(summary).isEqualTo(new FaceMatching.Summary(4, 10, 11, 8, 2, 1));
        assertThat(summary.recall()).isEqualTo(0.8);
        assertThat(summary.precision()).isEqualTo(8.0 / 11);
    }

    @Test
    void nothingToFindAndNothingFoundIsPerfect() {
        var summary = FaceMatching.Summary.of(List.of(new FaceMatching.ImageResult("cat.jpg", 0, 0, 0)));

        assertThat(summary.recall()).isEqualTo(1);
        assertThat(summary.precision()).isEqualTo(1);
        assertThat(summary.cleanNegatives()).isEqualTo(1);
    }

    private static BoundingBox box(float x1, float y1, float x2, float y2) {
        return new BoundingBox(x1, y1, x2, y2);
    }
}
