package io.sightline.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class BoundingBoxTest {

    @Test
    void iouOfIdenticalBoxesIsOne() {
        BoundingBox box = new BoundingBox(10, 20, 30, 60);
        assertThat(box.iou(box)).isEqualTo(1f);
    }

    @Test
    void iouOfDisjointOrTouchingBoxesIsZero() {
        BoundingBox box = new BoundingBox(0, 0, 10, 10);
        assertThat(box.iou(new BoundingBox(20, 20, 30, 30))).isZero();
        assertThat(box.iou(new BoundingBox(10, 0, 20, 10))).isZero();
    }

    @Test
    void iouIsIntersectionOverUnion() {
        // 2x2 boxes shifted by 1: intersection 2, union 4 + 4 - 2 = 6.
        BoundingBox left = new BoundingBox(0, 0, 2, 2);
        BoundingBox right = new BoundingBox(1, 0, 3, 2);
        assertThat(left.iou(right)).isCloseTo(1f / 3, within(1e-6f));
        assertThat(right.iou(left)).isEqualTo(left.iou(right));
    }

    @Test
    void iouOfBoxInsideAnotherIsTheAreaRatio() {
        assertThat(new BoundingBox(0, 0, 10, 10).iou(new BoundingBox(0, 0, 5, 10))).isCloseTo(0.5f, within(1e-6f));
    }

    @Test
    void iouOfEmptyBoxesIsZero() {
        BoundingBox point = new BoundingBox(5, 5, 5, 5);
        assertThat(point.iou(point)).isZero();
    }

    @Test
    void clipKeepsTheBoxInsideTheImage() {
        BoundingBox clipped = new BoundingBox(-4, -2, 105, 50).clip(100, 40);
        assertThat(clipped).isEqualTo(new BoundingBox(0, 0, 100, 40));
    }

    @Test
    void rejectsCornersOutOfOrder() {
        assertThatIllegalArgumentException().isThrownBy(() -> new BoundingBox(10, 0, 5, 10))
                .withMessageContaining("out of order");
    }
}
