package io.sightline.model;

/** Per-call detector settings. */
public record DetectionOptions(float minFaceSize) {

    public static final float DEFAULT_MIN_FACE = 20f;

    public DetectionOptions {
        if (!(minFaceSize >= 12f)) {
            throw new IllegalArgumentException("minFaceSize must be at least 12 pixels (MTCNN's smallest scale), got " + minFaceSize);
        }
    }

    public static DetectionOptions defaults() {
        return new DetectionOptions(DEFAULT_MIN_FACE);
    }
}
