package io.sightline.model.internal;

import io.sightline.model.RgbImages;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.ComponentSampleModel;
import java.awt.image.DataBufferByte;
import java.awt.image.Raster;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.FloatDataBuffer;
import org.tensorflow.types.TFloat32;

/**
 * Turns an image into the H×W×3 tensor of colour values 0–255 that MTCNN takes, in the channel order its graph was
 * prepared for: RGB once {@link MtcnnFaceDetector} has reordered the first layers' weights, BGR as published.
 */
final class PixelTensors {

    private static final int CHANNELS = 3;

    private PixelTensors() {}

    /**
     * An image as a tensor to feed: its bytes ({@code bytes}, H×W×3 uint8) or converted to floats. Closing it closes
     * the tensor.
     */
    record Input(Tensor tensor, boolean bytes) implements AutoCloseable {
        @Override
        public void close() {
            tensor.close();
        }
    }

    /**
     * When the graph takes bytes: a packed image in the graph's order is one copy into native memory; a packed image
     * in the other order is copied row by row with red and blue swapped. Anything else is converted to floats here.
     */
    static Input input(BufferedImage image, boolean graphTakesBytes, boolean graphTakesRgb) {
        if (graphTakesBytes && (RgbImages.isPacked(image) || RgbImages.isPackedBgr(image))) {
            return new Input(RgbImages.tensor(image, graphTakesRgb), true);
        }
        return new Input(of(image, graphTakesRgb), false);
    }

    /** A new float tensor, in RGB or BGR order, the caller must close. */
    static TFloat32 of(BufferedImage image, boolean rgbOrder) {
        int width = image.getWidth();
        int height = image.getHeight();
        RowReader reader = rowReaderFor(image);
        // Where red and blue go within each pixel's three floats.
        int red = rgbOrder ? 0 : 2;
        int blue = 2 - red;
        return TFloat32.tensorOf(Shape.of(height, width, CHANNELS), tensor -> {
            FloatDataBuffer pixels = tensor.asRawTensor().data().asFloats();
            // One row at a time straight into native memory: no image-sized float[] on the heap per call.
            float[] row = new float[width * CHANNELS];
            for (int y = 0; y < height; y++) {
                reader.read(y, row, red, blue);
                pixels.offset((long) y * row.length).write(row);
            }
        });
    }

    private interface RowReader {
        /** Writes row y's pixels, three floats each: red at {@code red}, green at 1, blue at {@code blue}. */
        void read(int y, float[] row, int red, int blue);
    }

    private static RowReader rowReaderFor(BufferedImage image) {
        return isInterleavedSrgbBytes(image) ? new InterleavedBytes(image.getRaster()) : new ArgbPixels(image);
    }

    /**
     * True for the layouts decoders produce for colour JPEG and PNG (3BYTE_BGR, 4BYTE_ABGR, RGB/RGBA bytes): the
     * samples can be read from the byte array directly instead of converting every pixel through a colour model.
     */
    private static boolean isInterleavedSrgbBytes(BufferedImage image) {
        Raster raster = image.getRaster();
        return raster.getDataBuffer() instanceof DataBufferByte bytes
                && bytes.getNumBanks() == 1
                && raster.getSampleModel() instanceof ComponentSampleModel
                && image.getColorModel() instanceof ComponentColorModel colors
                && colors.getColorSpace().isCS_sRGB()
                && colors.getNumColorComponents() == CHANNELS
                && !colors.isAlphaPremultiplied();
    }

    /** Reads bytes laid out pixel after pixel; bands 0, 1, 2 of an sRGB component colour model are R, G, B. */
    private static final class InterleavedBytes implements RowReader {
        private final byte[] data;
        private final int scanlineStride;
        private final int pixelStride;
        private final int red;
        private final int green;
        private final int blue;
        private final int origin;
        private final int width;

        InterleavedBytes(Raster raster) {
            ComponentSampleModel layout = (ComponentSampleModel) raster.getSampleModel();
            DataBufferByte buffer = (DataBufferByte) raster.getDataBuffer();
            int[] bandOffsets = layout.getBandOffsets();
            this.data = buffer.getData();
            this.scanlineStride = layout.getScanlineStride();
            this.pixelStride = layout.getPixelStride();
            this.red = bandOffsets[0];
            this.green = bandOffsets[1];
            this.blue = bandOffsets[2];
            // A sub-image shares its parent's array; the translation says where its (0, 0) sits in it.
            this.origin = buffer.getOffset()
                    - raster.getSampleModelTranslateY() * scanlineStride
                    - raster.getSampleModelTranslateX() * pixelStride;
            this.width = raster.getWidth();
        }

        @Override
        public void read(int y, float[] row, int redAt, int blueAt) {
            int p = origin + y * scanlineStride;
            for (int x = 0, o = 0; x < width; x++, p += pixelStride, o += CHANNELS) {
                row[o + redAt] = data[p + red] & 0xff;
                row[o + 1] = data[p + green] & 0xff;
                row[o + blueAt] = data[p + blue] & 0xff;
            }
        }
    }

    /** Any other image (grey, indexed, packed ints, other colour spaces): let Java2D convert to sRGB. */
    private static final class ArgbPixels implements RowReader {
        private final BufferedImage image;
        private final int[] argb;

        ArgbPixels(BufferedImage image) {
            this.image = image;
            this.argb = new int[image.getWidth()];
        }

        @Override
        public void read(int y, float[] row, int redAt, int blueAt) {
            image.getRGB(0, y, argb.length, 1, argb, 0, argb.length);
            for (int x = 0, o = 0; x < argb.length; x++, o += CHANNELS) {
                int pixel = argb[x];
                row[o + redAt] = (pixel >> 16) & 0xff;
                row[o + 1] = (pixel >> 8) & 0xff;
                row[o + blueAt] = pixel & 0xff;
            }
        }
    }
}
