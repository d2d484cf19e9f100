package io.sightline.model.internal;

import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.ComponentSampleModel;
import java.awt.image.DataBufferByte;
import java.awt.image.Raster;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.FloatDataBuffer;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TUint8;

/** Turns an image into the H×W×3 tensor of BGR values 0–255 that MTCNN expects. */
final class BgrTensors {

    private static final int CHANNELS = 3;

    private BgrTensors() {}

    /**
     * An image as a tensor to feed: its BGR bytes as they are ({@code bytes}, H×W×3 uint8) or converted to floats.
     * Closing it closes the tensor.
     */
    record Input(Tensor tensor, boolean bytes) implements AutoCloseable {
        @Override
        public void close() {
            tensor.close();
        }
    }

    /**
     * The image's own bytes when it is packed 8-bit BGR (what decoders give for colour JPEG) and the graph takes
     * bytes: one copy into native memory. Anything else is converted to floats here.
     */
    static Input input(BufferedImage image, boolean graphTakesBytes) {
        if (graphTakesBytes && isPackedBgr(image)) {
            byte[] bgr = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
            Shape shape = Shape.of(image.getHeight(), image.getWidth(), CHANNELS);
            int length = Math.toIntExact(shape.size());
            return new Input(TUint8.tensorOf(shape, data -> data.asRawTensor().data().write(bgr, 0, length)), true);
        }
        return new Input(of(image), false);
    }

    /** TYPE_3BYTE_BGR laid out row after row with nothing between: the array is exactly the tensor's bytes. */
    static boolean isPackedBgr(BufferedImage image) {
        Raster raster = image.getRaster();
        return image.getType() == BufferedImage.TYPE_3BYTE_BGR
                && raster.getDataBuffer() instanceof DataBufferByte bytes
                && bytes.getNumBanks() == 1
                && bytes.getOffset() == 0
                && raster.getSampleModel() instanceof ComponentSampleModel layout
                && layout.getPixelStride() == CHANNELS
                && layout.getScanlineStride() == CHANNELS * image.getWidth()
                && raster.getSampleModelTranslateX() == 0
                && raster.getSampleModelTranslateY() == 0
                && raster.getParent() == null
                && bytes.getData().length == CHANNELS * image.getWidth() * image.getHeight();
    }

    /** A new tensor the caller must close. */
    static TFloat32 of(BufferedImage image) {
        int width = image.getWidth();
        int height = image.getHeight();
        RowReader reader = rowReaderFor(image);
        return TFloat32.tensorOf(Shape.of(height, width, CHANNELS), tensor -> {
            FloatDataBuffer pixels = tensor.asRawTensor().data().asFloats();
            // One row at a time straight into native memory: no image-sized float[] on the heap per call.
            float[] row = new float[width * CHANNELS];
            for (int y = 0; y < height; y++) {
                reader.read(y, row);
                pixels.offset((long) y * row.length).write(row);
            }
        });
    }

    private interface RowReader {
        void read(int y, float[] bgrRow);
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
        public void read(int y, float[] bgrRow) {
            int p = origin + y * scanlineStride;
            for (int x = 0, o = 0; x < width; x++, p += pixelStride) {
                bgrRow[o++] = data[p + blue] & 0xff;
                bgrRow[o++] = data[p + green] & 0xff;
                bgrRow[o++] = data[p + red] & 0xff;
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
        public void read(int y, float[] bgrRow) {
            image.getRGB(0, y, argb.length, 1, argb, 0, argb.length);
            for (int x = 0, o = 0; x < argb.length; x++) {
                int pixel = argb[x];
                bgrRow[o++] = pixel & 0xff;
                bgrRow[o++] = (pixel >> 8) & 0xff;
                bgrRow[o++] = (pixel >> 16) & 0xff;
            }
        }
    }
}
