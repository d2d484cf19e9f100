package io.sightline.udf.internal;

import io.sightline.udf.FailureCode;
import io.sightline.udf.FrameInput;
import io.sightline.udf.ImageEncoding;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/** Strict decoding of frame payloads into drawable images, and fast PNG encoding of annotated ones. */
public final class ImageCodec {

    /** Refuse absurd sizes before allocating pixels: a 40-byte header can claim gigapixels. */
    static final long MAX_PIXELS = 64L * 1024 * 1024;

    private static final byte[] JPEG_SOI = {(byte) 0xFF, (byte) 0xD8};
    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

    /** Types Graphics2D draws on in full colour without a palette or channel conversion. */
    private static final Set<Integer> DRAWABLE_TYPES = Set.of(
            BufferedImage.TYPE_3BYTE_BGR, BufferedImage.TYPE_INT_RGB, BufferedImage.TYPE_INT_BGR,
            BufferedImage.TYPE_INT_ARGB, BufferedImage.TYPE_4BYTE_ABGR);

    private ImageCodec() {}

    /** The frame's pixels in a full-colour image the host may draw on; the payload itself is never modified. */
    public static BufferedImage decode(FrameInput frame) throws ImageDecodeException {
        return switch (frame.encoding()) {
            case JPEG -> decodeEncoded(frame, "JPEG", "jpeg", JPEG_SOI);
            case PNG -> decodeEncoded(frame, "PNG", "png", PNG_SIGNATURE);
            case RGB24, BGR24 -> decodeRaw(frame);
        };
    }

    /** An opaque 8-bit RGB PNG of the image. */
    public static byte[] encodePng(BufferedImage image) {
        return PngEncoder.encode(image);
    }

    private static BufferedImage decodeEncoded(FrameInput frame, String label, String format, byte[] signature)
            throws ImageDecodeException {
        if (!startsWith(frame.payload(), signature)) {
            throw decodeFailure("payload of " + frame.payload().length + " bytes is not a " + label
                    + " (bad signature)");
        }
        ImageReader reader = ImageIO.getImageReadersByFormatName(format).next();
        // ImageIO reports a truncated or corrupt JPEG as a warning and returns a partly grey image: collect the
        // warnings and refuse the frame instead.
        List<String> warnings = new ArrayList<>();
        reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(frame.payload()))) {
            reader.setInput(in, true, true);
            checkSize(frame, reader.getWidth(0), reader.getHeight(0));
            BufferedImage image = reader.read(0);
            if (!warnings.isEmpty()) {
                throw decodeFailure("corrupt " + label + ": " + String.join("; ", warnings));
            }
            return drawable(image);
        } catch (IOException | RuntimeException e) {
            // ImageIO's plugins signal malformed data with IIOException and, for some streams, runtime exceptions.
            throw decodeFailure("cannot decode " + label + ": " + e.getMessage());
        } finally {
            reader.dispose();
        }
    }

    private static void checkSize(FrameInput frame, int width, int height) throws ImageDecodeException {
        if (frame.declaresSize() && (width != frame.width() || height != frame.height())) {
            throw new ImageDecodeException(FailureCode.IMAGE_SIZE_MISMATCH, "declared " + frame.width() + "x"
                    + frame.height() + " but the " + frame.encoding() + " is " + width + "x" + height);
        }
        if ((long) width * height > MAX_PIXELS) {
            throw decodeFailure("image of " + width + "x" + height + " exceeds " + MAX_PIXELS + " pixels");
        }
    }

    private static BufferedImage decodeRaw(FrameInput frame) throws ImageDecodeException {
        if (!frame.declaresSize()) {
            throw new ImageDecodeException(FailureCode.IMAGE_SIZE_MISMATCH,
                    frame.encoding() + " frame needs a declared width and height");
        }
        if ((long) frame.width() * frame.height() > MAX_PIXELS) {
            throw decodeFailure("image of " + frame.width() + "x" + frame.height() + " exceeds " + MAX_PIXELS
                    + " pixels");
        }
        long expected = 3L * frame.width() * frame.height();
        if (frame.payload().length != expected) {
            throw new ImageDecodeException(FailureCode.IMAGE_SIZE_MISMATCH, frame.encoding() + " payload has "
                    + frame.payload().length + " bytes, " + frame.width() + "x" + frame.height() + " needs " + expected);
        }
        BufferedImage image = new BufferedImage(frame.width(), frame.height(), BufferedImage.TYPE_3BYTE_BGR);
        byte[] pixels = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
        if (frame.encoding() == ImageEncoding.BGR24) {
            System.arraycopy(frame.payload(), 0, pixels, 0, pixels.length);
        } else {
            swapRedAndBlue(frame.payload(), pixels);
        }
        return image;
    }

    private static void swapRedAndBlue(byte[] rgb, byte[] bgr) {
        for (int i = 0; i < rgb.length; i += 3) {
            bgr[i] = rgb[i + 2];
            bgr[i + 1] = rgb[i + 1];
            bgr[i + 2] = rgb[i];
        }
    }

    /** Grey, palette and 16-bit images are redrawn in 8-bit BGR so coloured annotations keep their colour. */
    private static BufferedImage drawable(BufferedImage image) {
        if (DRAWABLE_TYPES.contains(image.getType())) {
            return image;
        }
        BufferedImage converted = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = converted.createGraphics();
        try {
            g.drawImage(image, 0, 0, null);
        } finally {
            g.dispose();
        }
        return converted;
    }

    private static boolean startsWith(byte[] payload, byte[] prefix) {
        if (payload.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (payload[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static ImageDecodeException decodeFailure(String message) {
        return new ImageDecodeException(FailureCode.IMAGE_DECODE, message);
    }
}
