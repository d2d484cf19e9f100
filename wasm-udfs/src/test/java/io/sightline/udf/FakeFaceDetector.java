package io.sightline.udf;

import io.sightline.model.BoundingBox;
import io.sightline.model.DetectionOptions;
import io.sightline.model.Face;
import io.sightline.model.FaceDetector;
import io.sightline.model.ModelInfo;
import io.sightline.model.Point;
import java.awt.image.BufferedImage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Returns fixed faces after an optional delay, or fails; remembers how it was called. */
final class FakeFaceDetector implements FaceDetector {

    private final List<Face> faces;
    private final Duration delay;
    private RuntimeException failure;
    private final List<DetectionOptions> calls = new ArrayList<>();

    FakeFaceDetector(List<Face> faces) {
        this(faces, Duration.ZERO);
    }

    FakeFaceDetector(List<Face> faces, Duration delay) {
        this.faces = List.copyOf(faces);
        this.delay = delay;
    }

    /** A face whose five landmarks sit in the middle of its box, clear of the box's edges. */
    static Face face(float x1, float y1, float x2, float y2, float score) {
        float cx = (x1 + x2) / 2;
        float cy = (y1 + y2) / 2;
        List<Point> landmarks = List.of(
                new Point(cx - 12, cy - 10), new Point(cx + 12, cy - 10), new Point(cx, cy),
                new Point(cx - 10, cy + 12), new Point(cx + 10, cy + 12));
        return new Face(new BoundingBox(x1, y1, x2, y2), score, landmarks);
    }

    synchronized void failWith(RuntimeException failure) {
        this.failure = failure;
    }

    synchronized List<DetectionOptions> calls() {
        return List.copyOf(calls);
    }

    @Override
    public List<Face> detect(BufferedImage image, DetectionOptions options) {
        synchronized (this) {
            calls.add(options);
            if (failure != null) {
                RuntimeException thrown = failure;
                failure = null;
                throw thrown;
            }
        }
        if (!delay.isZero()) {
            try {
                Thread.sleep(delay.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
        return faces;
    }

    @Override
    public ModelInfo model() {
        return new ModelInfo("fake", "1", "0".repeat(64));
    }

    @Override
    public void close() {}
}
