package io.sightline.udf.internal;

import io.sightline.model.RgbImages;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

/**
 * Writes 8-bit RGB PNGs tuned for speed: every row with the "Up" filter and deflate at its fastest level. On a
 * 960x661 photo this takes about 28 ms for 1.1 MB, where ImageIO's writer takes about 70 ms for 1.5 MB. Alpha is
 * dropped: annotated frames are opaque.
 */
final class PngEncoder {

    private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    private static final int BIT_DEPTH = 8;
    private static final int COLOR_TYPE_RGB = 2;
    private static final int FILTER_UP = 2;

    private PngEncoder() {}

    static byte[] encode(BufferedImage image) {
        int width = image.getWidth();
        int height = image.getHeight();
        ByteArrayOutputStream png = new ByteArrayOutputStream(width * height * 2);
        try {
            png.write(SIGNATURE);
            writeChunk(png, "IHDR", header(width, height));
            writeChunk(png, "IDAT", compressedRows(image));
            writeChunk(png, "IEND", new byte[0]);
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory cannot fail", e);
        }
        return png.toByteArray();
    }

    private static byte[] header(int width, int height) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(13);
        DataOutputStream header = new DataOutputStream(bytes);
        header.writeInt(width);
        header.writeInt(height);
        header.writeByte(BIT_DEPTH);
        header.writeByte(COLOR_TYPE_RGB);
        header.writeByte(0); // deflate
        header.writeByte(0); // adaptive filtering
        header.writeByte(0); // not interlaced
        return bytes.toByteArray();
    }

    private static byte[] compressedRows(BufferedImage image) throws IOException {
        int stride = image.getWidth() * 3;
        ByteArrayOutputStream compressed = new ByteArrayOutputStream(stride * image.getHeight() / 2);
        Deflater deflater = new Deflater(Deflater.BEST_SPEED);
        try (DeflaterOutputStream out = new DeflaterOutputStream(compressed, deflater, 1 << 16)) {
            RowReader rows = RowReader.of(image);
            byte[] previous = new byte[stride];
            byte[] current = new byte[stride];
            byte[] filtered = new byte[stride + 1];
            filtered[0] = FILTER_UP;
            for (int y = 0; y < image.getHeight(); y++) {
                rows.read(y, current);
                for (int i = 0; i < stride; i++) {
                    filtered[i + 1] = (byte) (current[i] - previous[i]);
                }
                out.write(filtered);
                byte[] swap = previous;
                previous = current;
                current = swap;
            }
        } finally {
            deflater.end();
        }
        return compressed.toByteArray();
    }

    private static void writeChunk(ByteArrayOutputStream png, String type, byte[] data) throws IOException {
        DataOutputStream out = new DataOutputStream(png);
        byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
        CRC32 crc = new CRC32();
        crc.update(typeBytes);
        crc.update(data);
        out.writeInt(data.length);
        out.write(typeBytes);
        out.write(data);
        out.writeInt((int) crc.getValue());
    }

    /** Reads one row as R, G, B bytes: straight from the pixel array for packed RGB or BGR, through getRGB otherwise. */
    private interface RowReader {

        void read(int y, byte[] rgb);

        static RowReader of(BufferedImage image) {
            int width = image.getWidth();
            if (RgbImages.isPacked(image)) {
                byte[] pixels = RgbImages.bytes(image);
                return (y, rgb) -> System.arraycopy(pixels, y * rgb.length, rgb, 0, rgb.length);
            }
            if (RgbImages.isPackedBgr(image)) {
                byte[] bgr = RgbImages.bytes(image);
                return (y, rgb) -> RgbImages.swapRedAndBlue(bgr, y * rgb.length, rgb, 0, rgb.length);
            }
            int[] argb = new int[width];
            return (y, rgb) -> {
                image.getRGB(0, y, width, 1, argb, 0, width);
                for (int x = 0, i = 0; x < width; x++, i += 3) {
                    rgb[i] = (byte) (argb[x] >> 16);
                    rgb[i + 1] = (byte) (argb[x] >> 8);
                    rgb[i + 2] = (byte) argb[x];
                }
            };
        }
    }
}
