package io.sightline.udf.internal;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;

/** Pixel work the host does for guests: crop, resize, blur, RGBA export, rectangles, discs, text. */
final class ImageOps {

    /** Three box blurs approach a Gaussian of sigma close to the box radius. */
    private static final int BLUR_PASSES = 3;
    static final int MAX_BLUR_RADIUS = 256;
    private static final int MIN_TEXT_HEIGHT = 12;
    private static final int TEXT_PADDING = 2;

    private ImageOps() {}

    /** The box clipped to the image, or null when nothing of it is inside. */
    static Rectangle clip(BufferedImage image, float x1, float y1, float x2, float y2) {
        int left = Math.max(0, Math.round(Math.min(x1, x2)));
        int top = Math.max(0, Math.round(Math.min(y1, y2)));
        int right = Math.min(image.getWidth(), Math.round(Math.max(x1, x2)));
        int bottom = Math.min(image.getHeight(), Math.round(Math.max(y1, y2)));
        if (right <= left || bottom <= top) {
            return null;
        }
        return new Rectangle(left, top, right - left, bottom - top);
    }

    /** A copy of the region, in a drawable image of its own. */
    static BufferedImage crop(BufferedImage image, Rectangle region) {
        BufferedImage copy = new BufferedImage(region.width, region.height, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = copy.createGraphics();
        try {
            g.drawImage(image, -region.x, -region.y, null);
        } finally {
            g.dispose();
        }
        return copy;
    }

    static BufferedImage resize(BufferedImage image, int width, int height) {
        BufferedImage target = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = target.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.drawImage(image, 0, 0, width, height, null);
        } finally {
            g.dispose();
        }
        return target;
    }

    /**
     * Blurs the region in place with repeated horizontal and vertical box blurs. Only pixels of the region are read
     * (its edges are extended), so nothing outside it changes or leaks in.
     */
    static void blur(BufferedImage image, Rectangle region, int radius) {
        int w = region.width;
        int h = region.height;
        int[] argb = image.getRGB(region.x, region.y, w, h, null, 0, w);
        int[][] channels = new int[3][w * h];
        for (int i = 0; i < argb.length; i++) {
            channels[0][i] = (argb[i] >> 16) & 0xFF;
            channels[1][i] = (argb[i] >> 8) & 0xFF;
            channels[2][i] = argb[i] & 0xFF;
        }
        int[] scratch = new int[w * h];
        for (int[] channel : channels) {
            for (int pass = 0; pass < BLUR_PASSES; pass++) {
                boxBlur(channel, scratch, w, h, radius, 1, w);
                boxBlur(scratch, channel, h, w, radius, w, 1);
            }
        }
        for (int i = 0; i < argb.length; i++) {
            argb[i] = (argb[i] & 0xFF000000) | channels[0][i] << 16 | channels[1][i] << 8 | channels[2][i];
        }
        image.setRGB(region.x, region.y, w, h, argb, 0, w);
    }

    /**
     * One box-blur pass along lines of {@code length} samples, {@code step} apart; lines start {@code lineStep}
     * apart. A running sum makes the cost independent of the radius.
     */
    private static void boxBlur(int[] from, int[] to, int length, int lines, int radius, int step, int lineStep) {
        int window = 2 * radius + 1;
        for (int line = 0; line < lines; line++) {
            int base = line * lineStep;
            int last = length - 1;
            int sum = 0;
            for (int k = -radius; k <= radius; k++) {
                sum += from[base + clamp(k, last) * step];
            }
            for (int i = 0; i < length; i++) {
                to[base + i * step] = (sum + window / 2) / window;
                sum += from[base + clamp(i + radius + 1, last) * step] - from[base + clamp(i - radius, last) * step];
            }
        }
    }

    private static int clamp(int index, int last) {
        return index < 0 ? 0 : Math.min(index, last);
    }

    /** Writes the first {@code length} bytes of the image as RGBA, row by row. */
    static byte[] rgba(BufferedImage image, int length) {
        byte[] bytes = new byte[length];
        int width = image.getWidth();
        int pixels = (length + 3) / 4;
        int rows = (pixels + width - 1) / width;
        int[] row = new int[width];
        int at = 0;
        byte[] pixel = new byte[4];
        for (int y = 0; y < rows && at < length; y++) {
            image.getRGB(0, y, width, 1, row, 0, width);
            for (int x = 0; x < width && at < length; x++) {
                int p = row[x];
                pixel[0] = (byte) (p >> 16);
                pixel[1] = (byte) (p >> 8);
                pixel[2] = (byte) p;
                pixel[3] = (byte) (p >>> 24);
                int n = Math.min(4, length - at);
                System.arraycopy(pixel, 0, bytes, at, n);
                at += n;
            }
        }
        return bytes;
    }

    /**
     * Fills a rectangle in an opaque colour. Packed RGB and BGR frames (what the decoders give) are written directly:
     * Java2D has no specialised loops for packed RGB, and through its generic ones took several times as long.
     */
    static void fillRect(FrameContext.HostImage target, int x, int y, int width, int height, int rgb) {
        int top = Math.max(0, y);
        int bottom = (int) Math.min(target.pixels().getHeight(), (long) y + height);
        for (int row = top; row < bottom; row++) {
            fillSpan(target, row, x, (int) Math.min(Integer.MAX_VALUE, (long) x + width), rgb);
        }
    }

    /**
     * Fills the disc inscribed in the square of side {@code diameter} at (x, y): every pixel whose centre lies in it.
     * Unlike Java2D's {@code fillOval}, which leaves small ovals lopsided (3 of 4 pixels at diameter 2), the result is
     * symmetric, and the same in every image layout.
     */
    static void fillDisc(FrameContext.HostImage target, int x, int y, int diameter, int rgb) {
        double radius = diameter / 2.0;
        double centreX = x + radius;
        double centreY = y + radius;
        int bottom = (int) Math.min(target.pixels().getHeight(), (long) y + diameter);
        for (int row = Math.max(0, y); row < bottom; row++) {
            double dy = row + 0.5 - centreY;
            double half = Math.sqrt(Math.max(0, radius * radius - dy * dy));
            // The pixels px whose centre px + 0.5 lies within centreX ± half.
            fillSpan(target, row, (int) Math.ceil(centreX - half - 0.5), (int) Math.floor(centreX + half - 0.5) + 1, rgb);
        }
    }

    /** Pixels left (inclusive) to right (exclusive) of one row, clipped to the image. */
    private static void fillSpan(FrameContext.HostImage target, int row, int left, int right, int rgb) {
        BufferedImage image = target.pixels();
        int from = Math.max(0, left);
        int to = Math.min(image.getWidth(), right);
        if (from >= to) {
            return;
        }
        byte[] pixels = target.packed();
        if (pixels == null) {
            Graphics2D g = target.graphics();
            g.setColor(new Color(rgb & 0xFFFFFF));
            g.fillRect(from, row, to - from, 1);
            return;
        }
        byte first = (byte) (target.rgbOrder() ? rgb >> 16 : rgb);
        byte green = (byte) (rgb >> 8);
        byte third = (byte) (target.rgbOrder() ? rgb : rgb >> 16);
        for (int at = 3 * (row * image.getWidth() + from), end = at + 3 * (to - from); at < end; at += 3) {
            pixels[at] = first;
            pixels[at + 1] = green;
            pixels[at + 2] = third;
        }
    }

    /** Text on a black box whose top-left corner is (x, y); the text height follows the image's short side. */
    static void label(Graphics2D g, BufferedImage image, int x, int y, String text, int rgb) {
        int size = Math.max(MIN_TEXT_HEIGHT, Math.min(image.getWidth(), image.getHeight()) / 40);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, size));
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        FontMetrics metrics = g.getFontMetrics();
        int width = metrics.stringWidth(text) + 2 * TEXT_PADDING;
        int height = metrics.getAscent() + metrics.getDescent() + 2 * TEXT_PADDING;
        g.setColor(Color.BLACK);
        g.fillRect(x, y, width, height);
        g.setColor(new Color(rgb & 0xFFFFFF));
        g.drawString(text, x + TEXT_PADDING, y + TEXT_PADDING + metrics.getAscent());
    }
}
