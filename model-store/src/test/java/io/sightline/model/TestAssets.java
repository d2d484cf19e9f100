package io.sightline.model;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

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
        assumeTrue(configured != null, "system property sightline.assets is not set (run through Maven)");
        Path dir = Path.of(configured);
        assumeTrue(Files.isRegularFile(dir.resolve(ModelSpec.MTCNN.relativePath())),
                "no " + ModelSpec.MTCNN.relativePath() + " under sightline.assets=" + dir);
        return dir;
    }

    public static BufferedImage image(String name) {
        Path file = dir().resolve("images").resolve(name);
        assumeTrue(Files.isRegularFile(file), "test image missing: " + file);
        try {
            return ImageIO.read(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static ModelStoreConfig offlineConfig(Path cacheDir) {
        return new ModelStoreConfig(Optional.of(dir()), cacheDir, false);
    }
}
