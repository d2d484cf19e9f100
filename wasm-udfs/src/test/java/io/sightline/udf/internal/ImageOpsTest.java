package io.sightline.udf.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.sightline.model.RgbImages;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** Rectangles and discs the host draws for guests, straight into packed frames or through Java2D for other layouts. */
class ImageOpsTest {

    private static final int GREEN = 0x33FF66;
    private static final int WIDTH = 32;
    private static final int HEIGHT = 30;

    @Test
    void rectanglesCoverExactlyWhatJava2dsFillRectCoversInEveryLayout() {
        int[][] rects = {{3, 4, 10, 2}, {0, 0, 1, 1}, {-5, 8, 12, 3}, {25, 15, 20, 20}, {5, 5, 0, 4}};
        for (int[] r : rects) {
            BufferedImage java2d = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = java2d.createGraphics();
            g.setColor(new java.awt.Color(GREEN));
            g.fillRect(r[0], r[1], r[2], r[3]);
            g.dispose();

            for (BufferedImage drawn : inEveryLayout(target -> ImageOps.fillRect(target, r[0], r[1], r[2], r[3], GREEN))) {
                assertThat(pixels(drawn)).as("rect %d,%d %dx%d", r[0], r[1], r[2], r[3]).isEqualTo(pixels(java2d));
            }
        }
    }

    @Test
    void discsAreSymmetricCoverAboutPiRSquaredAndAreTheSameInEveryLayout() {
        for (int diameter = 1; diameter <= 12; diameter++) {
            int d = diameter;
            List<BufferedImage> drawn = inEveryLayout(target -> ImageOps.fillDisc(target, 10, 8, d, GREEN));
            int[] disc = pixels(drawn.get(0));
            for (BufferedImage other : drawn) {
                assertThat(pixels(other)).as("diameter %d", d).isEqualTo(disc);
            }
            int covered = 0;
            for (int y = 0; y < HEIGHT; y++) {
                for (int x = 0; x < WIDTH; x++) {
                    boolean in = green(disc, x, y);
                    covered += in ? 1 : 0;
                    assertThat(in).as("diameter %d: (%d,%d) outside its square", d, x, y)
                            .isEqualTo(in && x >= 10 && x < 10 + d && y >= 8 && y < 8 + d);
                    // Mirrored left-right and top-bottom inside the square.
                    if (x >= 10 && x < 10 + d && y >= 8 && y < 8 + d) {
                        assertThat(green(disc, 10 + d - 1 - (x - 10), y)).isEqualTo(in);
                        assertThat(green(disc, x, 8 + d - 1 - (y - 8))).isEqualTo(in);
                    }
                }
            }
            assertThat((double) covered).as("diameter %d", d).isCloseTo(Math.PI * d * d / 4, within(1.5 * d));
        }
    }

    @Test
    void discsAndRectanglesPartlyOutsideAreClipped() {
        for (BufferedImage drawn : inEveryLayout(target -> {
            ImageOps.fillDisc(target, -3, -3, 8, GREEN);
            ImageOps.fillRect(target, WIDTH - 2, HEIGHT - 2, 10, 10, GREEN);
        })) {
            int[] all = pixels(drawn);
            assertThat(green(all, 0, 0)).isTrue();
            assertThat(green(all, WIDTH - 1, HEIGHT - 1)).isTrue();
            assertThat(green(all, 10, 10)).isFalse();
        }
    }

    /** The same drawing on packed RGB, packed BGR and int RGB images. */
    private static List<BufferedImage> inEveryLayout(Consumer<FrameContext.HostImage> draw) {
        List<BufferedImage> images = List.of(RgbImages.create(WIDTH, HEIGHT),
                new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_3BYTE_BGR),
                new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB));
        for (BufferedImage image : images) {
            FrameContext.HostImage target = new FrameContext.HostImage(image);
            draw.accept(target);
            target.release();
        }
        return images;
    }

    private static int[] pixels(BufferedImage image) {
        return image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
    }

    private static boolean green(int[] pixels, int x, int y) {
        return (pixels[y * WIDTH + x] & 0xFFFFFF) == GREEN;
    }
}
