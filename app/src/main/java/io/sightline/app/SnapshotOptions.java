package io.sightline.app;

import io.sightline.stream.SnapshotEncoding;
import io.sightline.udf.ImageEncoding;
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

    @Option(names = "--snapshot-format", paramLabel = "jpeg|png", defaultValue = "jpeg",
            description = "Encoding of annotated snapshots: jpeg (about 10x smaller and faster) or png (lossless; "
                    + "JPEG only when a PNG would not fit in a record) (default: ${DEFAULT-VALUE}).")
    Format format = Format.jpeg;

    @Option(names = "--snapshot-quality", paramLabel = "1-100", defaultValue = "" + SnapshotEncoding.DEFAULT_QUALITY,
            description = "JPEG quality of annotated snapshots (default: ${DEFAULT-VALUE}).")
    int quality = SnapshotEncoding.DEFAULT_QUALITY;

    /** The encoding asked for; a quality outside 1-100 is a usage error. */
    SnapshotEncoding encoding() {
        return new SnapshotEncoding(format.encoding, quality);
    }
}
