package io.sightline.stream;

import io.sightline.udf.ImageEncoding;
import io.sightline.udf.ImageLimits;
import java.util.Objects;

/**
 * How the annotated snapshots a processor emits are encoded: JPEG at quality 85 unless asked otherwise; lossless PNG
 * (JPEG only when a PNG would not fit) for files people inspect.
 *
 * @param quality JPEG quality, 1 to 100
 */
public record SnapshotEncoding(ImageEncoding format, int quality) {

    public static final int DEFAULT_QUALITY = 85;

    public SnapshotEncoding {
        Objects.requireNonNull(format, "format");
        if (quality < 1 || quality > 100) {
            throw new IllegalArgumentException("--snapshot-quality must be between 1 and 100, got " + quality);
        }
    }

    public static SnapshotEncoding defaults() {
        return new SnapshotEncoding(ImageEncoding.JPEG, DEFAULT_QUALITY);
    }

    public static SnapshotEncoding lossless() {
        return new SnapshotEncoding(ImageEncoding.PNG, DEFAULT_QUALITY);
    }

    /** {@code limits} with annotated images encoded so. */
    public ImageLimits apply(ImageLimits limits) {
        return limits.withAnnotated(format, quality / 100f);
    }
}
