package io.sightline.app;

import io.sightline.model.DetectionOptions;
import picocli.CommandLine.Option;

/** The detector's one setting a user chooses: the smallest face to look for. */
final class MinFaceOptions {

    @Option(names = "--min-face", paramLabel = "N", defaultValue = "" + DetectionOptions.DEFAULT_MIN_FACE_PIXELS,
            description = "Smallest face to find, in pixels: smaller finds more faces and costs more time "
                    + "(default: ${DEFAULT-VALUE}).")
    float pixels = DetectionOptions.DEFAULT_MIN_FACE_PIXELS;

    DetectionOptions detection() {
        return new DetectionOptions(pixels);
    }
}
