package io.sightline.ingest;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;

final class TestAssets {

    private TestAssets() {}

    static Path image(String name) {
        String dir = System.getProperty("sightline.assets", "../../shared");
        Path image = Path.of(dir, "images", name);
        if (!Files.isRegularFile(image)) {
            fail("test image " + image + " is missing: put the shared assets beside the checkout or set -Dsightline.assets=DIR");
        }
        return image;
    }
}
