package io.sightline.udf;

import static org.junit.jupiter.api.Assertions.fail;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** Frames for tests: synthetic images made here, and the shared sample photos. */
final class TestFrames {

    static final int WIDTH = 640;
    static final int HEIGHT = 480;

    private TestFrames() {}

    /** A 640x480 JPEG of soft gradients: no pixel has the colours the UDF draws with. */
    static byte[] gradientJpeg() {
        return encode(gradient(), "jpeg");
    }

    static BufferedImage gradient() {
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = image.createGraphics();
        for (int y = 0; y < HEIGHT; y++) {
            g.setColor(new Color(60 + y / 8, 70 + y / 10, 90 + y / 6));
            g.drawLine(0, y, WIDTH - 1, y);
        }
        g.dispose();
        return image;
    }

    static FrameInput frame(String cameraId, ImageEncoding encoding, int width, int height, byte[] payload) {
        return new FrameInput(cameraId, cameraId + "-1", 1_700_000_000_000L, encoding, width, height, payload);
    }

    static FrameInput jpegFrame(String cameraId) {
        return frame(cameraId, ImageEncoding.JPEG, WIDTH, HEIGHT, gradientJpeg());
    }

    static BufferedImage decode(byte[] bytes) {
        try {
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(bytes));
            if (image == null) {
                throw new IllegalArgumentException("not an image ImageIO can read");
            }
            return image;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] encode(BufferedImage image, String format) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, format, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static Path assets() {
        String dir = System.getProperty("sightline.assets");
        if (dir == null || !Files.isDirectory(Path.of(dir))) {
            fail("sample assets not found at " + dir + ": set -Dsightline.assets to the shared directory (models/, images/)");
        }
        return Path.of(dir);
    }

    static byte[] sampleImage(String name) {
        Path file = assets().resolve("images").resolve(name);
        if (!Files.isRegularFile(file)) {
            fail("sample image " + file + " is missing: set -Dsightline.assets to the shared directory");
        }
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
