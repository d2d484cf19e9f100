package io.sightline.model.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.sightline.model.BoundingBox;
import io.sightline.model.Face;
import io.sightline.model.Point;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class NonMaxSuppressionTest {

    @Test
    void dropsTheLowerScoredOfTwoOverlappingBoxes() {
        Face best = face(100, 100, 130, 136, 0.99f);
        // Shifted so that IoU ≈ 0.59, like the duplicate MTCNN emits on the Solvay photo.
        Face duplicate = face(105, 104, 135, 140, 0.93f);
        assertThat(best.box().iou(duplicate.box())).isBetween(0.55f, 0.65f);

        assertThat(NonMaxSuppression.apply(List.of(duplicate, best), MtcnnFaceDetector.DUPLICATE_IOU,
                MtcnnFaceDetector.NESTED_FRACTION))
                .containsExactly(best);
    }

    @Test
    void keepsNeighbouringFacesThatOverlapLittle() {
        Face left = face(0, 0, 30, 36, 0.9f);
        Face right = face(24, 0, 54, 36, 0.8f);
        assertThat(left.box().iou(right.box())).isPositive().isLessThan(0.2f);

        assertThat(NonMaxSuppression.apply(List.of(left, right), MtcnnFaceDetector.DUPLICATE_IOU,
                MtcnnFaceDetector.NESTED_FRACTION))
                .containsExactly(left, right);
    }

    @Test
    void sortsFacesByScoreHighestFirst() {
        List<Face> faces = List.of(face(0, 0, 10, 10, 0.7f), face(50, 0, 60, 10, 0.95f), face(100, 0, 110, 10, 0.8f));

        assertThat(NonMaxSuppression.apply(faces, MtcnnFaceDetector.DUPLICATE_IOU,
                MtcnnFaceDetector.NESTED_FRACTION))
                .extracting(Face::score)
                .containsExactly(0.95f, 0.8f, 0.7f);
    }

    @Test
    void comparesOnlyWithFacesItKeeps() {
        // b overlaps a and c overlaps b, but c barely touches a: once b is dropped, c must survive.
        Face a = face(0, 0, 10, 10, 0.9f);
        Face b = face(3, 0, 13, 10, 0.8f);
        Face c = face(6, 0, 16, 10, 0.7f);

        assertThat(NonMaxSuppression.apply(List.of(a, b, c), 0.5f, 1f)).containsExactly(a, c);
    }

    @Test
    void dropsASmallerBoxLyingInsideABetterOne() {
        // As MTCNN returns on eval/faces/faceapi-sample3.jpg: IoU 0.29, but wholly inside.
        Face face = face(310, 171, 421, 321, 0.999f);
        Face nested = face(320, 221, 381, 301, 0.94f);
        assertThat(face.box().iou(nested.box())).isLessThan(MtcnnFaceDetector.DUPLICATE_IOU);

        assertThat(NonMaxSuppression.apply(List.of(nested, face), MtcnnFaceDetector.DUPLICATE_IOU,
                MtcnnFaceDetector.NESTED_FRACTION)).containsExactly(face);
    }

    @Test
    void keepsAFacePartlyBehindAnother() {
        // A face half hidden behind a nearer one: 50 % of it lies in the nearer face's box.
        Face near = face(0, 0, 40, 48, 0.99f);
        Face behind = face(20, 0, 60, 48, 0.9f);
        assertThat(NonMaxSuppression.insideFraction(behind.box(), near.box())).isBetween(0.45f, 0.55f);

        assertThat(NonMaxSuppression.apply(List.of(near, behind), MtcnnFaceDetector.DUPLICATE_IOU,
                MtcnnFaceDetector.NESTED_FRACTION)).containsExactly(near, behind);
    }

    @Test
    void emptyInputGivesEmptyOutput() {
        assertThat(NonMaxSuppression.apply(List.of(), 0.5f, 0.8f)).isEmpty();
    }

    private static Face face(float x1, float y1, float x2, float y2, float score) {
        Point centre = new Point((x1 + x2) / 2, (y1 + y2) / 2);
        return new Face(new BoundingBox(x1, y1, x2, y2), score, Collections.nCopies(Face.LANDMARKS, centre));
    }
}
