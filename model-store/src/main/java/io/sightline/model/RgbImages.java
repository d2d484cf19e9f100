package io.sightline.model;

import java.awt.Graphics2D;
import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.ComponentSampleModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.util.Arrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TUint8;

/**
 * Packed RGB images: three bytes a pixel in the order red, green, blue, rows back to back in one array. It is the
 * order the JPEG codec reads and writes and the order {@link FaceDetector}s take as it is, so a frame's pixels go from
 * decoder to detector to encoder without a byte being reordered. Java2D draws on them like on any other image.
 */
public final class RgbImages {

    private static final int CHANNELS = 3;
    private static final int[] RGB_OFFSETS = {0, 1, 2};
    /** {@link BufferedImage#TYPE_3BYTE_BGR}: band 0 (red) is the third byte of a pixel. */
    private static final int[] BGR_OFFSETS = {2, 1, 0};
    private static final ColorModel SRGB = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_sRGB),
            false, false, Transparency.OPAQUE, DataBuffer.TYPE_BYTE);

    private RgbImages() {}

    /** A new black image. */
    public static BufferedImage create(int width, int height) {
        return wrap(new byte[Math.multiplyExact(CHANNELS, Math.multiplyExact(width, height))], width, height);
    }

    /** An image over {@code rgb} itself (not a copy), which must hold exactly width × height × 3 bytes. */
    public static BufferedImage wrap(byte[] rgb, int width, int height) {
        if (width < 1 || height < 1 || rgb.length != (long) CHANNELS * width * height) {
            throw new IllegalArgumentException(rgb.length + " bytes are not " + width + "x" + height + " RGB pixels");
        }
        WritableRaster raster = Raster.createInterleavedRaster(new DataBufferByte(rgb, rgb.length), width, height,
                CHANNELS * width, CHANNELS, RGB_OFFSETS, null);
        return new BufferedImage(SRGB, raster, false, null);
    }

    /** True when the image is packed RGB: its array ({@link #bytes}) is exactly its pixels in R, G, B order. */
    public static boolean isPacked(BufferedImage image) {
        return packedIn(image, RGB_OFFSETS);
    }

    /** True for a packed {@link BufferedImage#TYPE_3BYTE_BGR} image: its array is its pixels in B, G, R order. */
    public static boolean isPackedBgr(BufferedImage image) {
        return image.getType() == BufferedImage.TYPE_3BYTE_BGR && packedIn(image, BGR_OFFSETS);
    }

    /** The pixel array of a packed image, RGB or BGR (not a copy). */
    public static byte[] bytes(BufferedImage packed) {
        return ((DataBufferByte) packed.getRaster().getDataBuffer()).getData();
    }

    /** The image itself when it is packed RGB, else a packed RGB copy of it. */
    public static BufferedImage packed(BufferedImage image) {
        if (isPacked(image)) {
            return image;
        }
        BufferedImage copy = create(image.getWidth(), image.getHeight());
        if (isPackedBgr(image)) {
            byte[] bgr = bytes(image);
            swapRedAndBlue(bgr, 0, bytes(copy), 0, bgr.length);
            return copy;
        }
        Graphics2D g = copy.createGraphics();
        try {
            g.drawImage(image, 0, 0, null);
        } finally {
            g.dispose();
        }
        return copy;
    }

    /**
     * A new H×W×3 uint8 tensor of a packed image's pixels ({@link #isPacked} or {@link #isPackedBgr}) in RGB or BGR
     * order, which the caller must close: one copy when the image is already in that order, else copied row by row
     * with red and blue swapped (the image itself is left as it is).
     */
    public static TUint8 tensor(BufferedImage packed, boolean rgbOrder) {
        boolean rgb = isPacked(packed);
        if (!rgb && !isPackedBgr(packed)) {
            throw new IllegalArgumentException("not a packed RGB or BGR image: type " + packed.getType());
        }
        byte[] pixels = bytes(packed);
        int rowBytes = CHANNELS * packed.getWidth();
        return TUint8.tensorOf(Shape.of(packed.getHeight(), packed.getWidth(), CHANNELS), data -> {
            if (rgb == rgbOrder) {
                data.asRawTensor().data().write(pixels);
                return;
            }
            byte[] row = new byte[rowBytes];
            for (int y = 0; y < packed.getHeight(); y++) {
                swapRedAndBlue(pixels, y * rowBytes, row, 0, rowBytes);
                data.asRawTensor().data().offset((long) y * rowBytes).write(row);
            }
        });
    }

    /**
     * Copies {@code length} bytes of 3-byte pixels, swapping each pixel's first and third byte: RGB to BGR and back.
     * {@code from} and {@code to} may be the same array at the same offset.
     */
    public static void swapRedAndBlue(byte[] from, int fromOffset, byte[] to, int toOffset, int length) {
        for (int i = 0; i < length; i += CHANNELS) {
            byte first = from[fromOffset + i];
            to[toOffset + i + 1] = from[fromOffset + i + 1];
            to[toOffset + i] = from[fromOffset + i + 2];
            to[toOffset + i + 2] = first;
        }
    }

    private static boolean packedIn(BufferedImage image, int[] bandOffsets) {
        Raster raster = image.getRaster();
        return raster.getDataBuffer() instanceof DataBufferByte bytes
                && bytes.getNumBanks() == 1
                && bytes.getOffset() == 0
                && raster.getSampleModel() instanceof ComponentSampleModel layout
                && layout.getPixelStride() == CHANNELS
                && layout.getScanlineStride() == CHANNELS * image.getWidth()
                && Arrays.equals(layout.getBandOffsets(), bandOffsets)
                && raster.getSampleModelTranslateX() == 0
                && raster.getSampleModelTranslateY() == 0
                && raster.getParent() == null
                && image.getColorModel() instanceof ComponentColorModel colors
                && colors.getColorSpace().isCS_sRGB()
                && !colors.hasAlpha()
                && bytes.getData().length == CHANNELS * image.getWidth() * image.getHeight();
    }
}
