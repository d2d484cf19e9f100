package io.sightline.model;

import static org.junit.jupiter.api.Assertions.fail;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import javax.imageio.ImageIO;

/** The shared asset directory the build passes in as the sightline.assets system property. */
public final class TestAssets {

    private TestAssets() {}

    public static Path dir() {
        String configured = System.getProperty("sightline.assets");
        if (configured == null) {
            fail("system property sightline.assets is not set: run the tests through Maven or pass -Dsightline.assets=DIR");
        }
        Path dir = Path.of(configured);
        requireFile(dir.resolve(ModelSpec.MTCNN.relativePath()));
        return dir;
    }

    public static BufferedImage image(String name) {
        Path file = dir().resolve("images").resolve(name);
        requireFile(file);
        try {
            return ImageIO.read(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void requireFile(Path file) {
        if (!Files.isRegularFile(file)) {
            fail("test asset " + file + " is missing: put the shared assets (models/, images/) at sightline.assets");
        }
    }

    public static ModelStoreConfig offlineConfig(Path cacheDir) {
        return new ModelStoreConfig(Optional.of(dir()), cacheDir, false);
    }
}
