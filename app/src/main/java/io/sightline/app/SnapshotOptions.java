package io.sightline.app;

import io.sightline.udf.ImageEncoding;
import io.sightline.udf.ImageLimits;
import picocli.CommandLine.Option;

/** How the annotated snapshots a processor emits are encoded. */
final class SnapshotOptions {

    /** The formats a user may ask for; each maps to the host's encoding. */
    enum Format {
        jpeg(ImageEncoding.JPEG),
        png(ImageEncoding.PNG);

        private final ImageEncoding encoding;

        Format(ImageEncoding encoding) {
            this.encoding = encoding;
        }
    }

    static final int DEFAULT_QUALITY = 85;

    @Option(names = "--snapshot-format", paramLabel = "jpeg|png", defaultValue = "jpeg",
            description = "Encoding of annotated snapshots: jpeg (about 10x smaller and faster) or png (lossless; "
                    + "JPEG only when a PNG would not fit in a record) (default: ${DEFAULT-VALUE}).")
    Format format = Format.jpeg;

    @Option(names = "--snapshot-quality", paramLabel = "1-100", defaultValue = "" + DEFAULT_QUALITY,
            description = "JPEG quality of annotated snapshots (default: ${DEFAULT-VALUE}).")
    int quality = DEFAULT_QUALITY;

    /** JPEG at quality 85: what every command uses unless told otherwise. */
    static SnapshotOptions defaults() {
        return new SnapshotOptions();
    }

    /** Lossless PNG, JPEG only when a PNG would not fit: for files people inspect ({@code detect --annotate}). */
    static SnapshotOptions lossless() {
        SnapshotOptions png = new SnapshotOptions();
        png.format = Format.png;
        return png;
    }

    /** {@code limits} with annotated images encoded as asked; a quality outside 1-100 is a usage error. */
    ImageLimits apply(ImageLimits limits) {
        if (quality < 1 || quality > 100) {
            throw new IllegalArgumentException("--snapshot-quality must be between 1 and 100, got " + quality);
        }
        return limits.withAnnotated(format.encoding, quality / 100f);
    }
}
