package io.sightline.udf;

import static org.junit.jupiter.api.Assertions.fail;

import io.sightline.model.ModelStore;
import io.sightline.model.ModelStoreConfig;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Random;
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

    /** Random grey-level noise: high-frequency energy everywhere, so any blur shows. */
    static BufferedImage noise(int width, int height, long seed) {
        Random random = new Random(seed);
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int v = random.nextInt(256);
                image.setRGB(x, y, v << 16 | v << 8 | v);
            }
        }
        return image;
    }

    /**
     * Variance of the 4-neighbour Laplacian of the luminance inside the box [x1, x2) x [y1, y2): the usual sharpness
     * measure, it drops by orders of magnitude when detail is blurred away.
     */
    static double laplacianVariance(BufferedImage image, int x1, int y1, int x2, int y2) {
        double sum = 0;
        double squares = 0;
        int n = 0;
        for (int y = Math.max(1, y1); y < Math.min(image.getHeight() - 1, y2); y++) {
            for (int x = Math.max(1, x1); x < Math.min(image.getWidth() - 1, x2); x++) {
                double laplacian = luma(image, x - 1, y) + luma(image, x + 1, y) + luma(image, x, y - 1)
                        + luma(image, x, y + 1) - 4 * luma(image, x, y);
                sum += laplacian;
                squares += laplacian * laplacian;
                n++;
            }
        }
        double mean = sum / n;
        return squares / n - mean * mean;
    }

    static double luma(BufferedImage image, int x, int y) {
        int rgb = image.getRGB(x, y);
        return 0.299 * ((rgb >> 16) & 0xFF) + 0.587 * ((rgb >> 8) & 0xFF) + 0.114 * (rgb & 0xFF);
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

    /** The model store on the shared assets, with its cache in {@code cache}; fails when MTCNN is missing. */
    static ModelStore modelStore(Path cache) {
        Path assets = assets();
        if (!Files.isRegularFile(assets.resolve("models/mtcnn/mtcnn.pb"))) {
            fail("MTCNN model missing under " + assets + ": put the shared assets there or set -Dsightline.assets=DIR");
        }
        return ModelStore.open(new ModelStoreConfig(Optional.of(assets), cache, false));
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
