package io.sightline.model;

/** Per-call detector settings. */
public record DetectionOptions(float minFaceSize) {

    /** The smallest face looked for unless told otherwise, in whole pixels: every command's {@code --min-face}. */
    public static final int DEFAULT_MIN_FACE_PIXELS = 20;
    public static final float DEFAULT_MIN_FACE = DEFAULT_MIN_FACE_PIXELS;

    public DetectionOptions {
        if (!(minFaceSize >= 12f)) {
            throw new IllegalArgumentException("--min-face must be at least 12 pixels (MTCNN's smallest scale), got "
                    + minFaceSize);
        }
    }

    public static DetectionOptions defaults() {
        return new DetectionOptions(DEFAULT_MIN_FACE);
    }
}
