package io.sightline.ingest;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

final class TestAssets {

    private TestAssets() {}

    static Path image(String name) {
        String dir = System.getProperty("sightline.assets", "../../shared");
        Path image = Path.of(dir, "images", name);
        assumeTrue(Files.isRegularFile(image), "test image " + image + " is missing: set -Dsightline.assets to the asset dir");
        return image;
    }
}
