package io.sightline.udf.internal;

import io.sightline.model.RgbImages;
import io.sightline.udf.FailureCode;
import io.sightline.udf.FrameInput;
import io.sightline.udf.ImageEncoding;
import io.sightline.udf.ImageLimits;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Strict decoding of frame payloads into drawable images, with memory bounded by {@link ImageLimits}: the size is read
 * from the header first, and an image above the decode cap is decoded subsampled. Colour JPEGs at full size take the
 * native fast path ({@link NativeJpeg}, same pixels); everything else, and whatever that path refuses, ImageIO.
 */
public final class ImageCodec {

    private static final byte[] JPEG_SOI = {(byte) 0xFF, (byte) 0xD8};
    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

    /** Types Graphics2D draws on in full colour without a palette or channel conversion. */
    private static final Set<Integer> DRAWABLE_TYPES = Set.of(
            BufferedImage.TYPE_3BYTE_BGR, BufferedImage.TYPE_INT_RGB, BufferedImage.TYPE_INT_BGR,
            BufferedImage.TYPE_INT_ARGB, BufferedImage.TYPE_4BYTE_ABGR);

    private ImageCodec() {}

    /** The frame's pixels in a full-colour image the host may draw on; the payload itself is never modified. */
    public static DecodedImage decode(FrameInput frame, ImageLimits limits) throws ImageDecodeException {
        return switch (frame.encoding()) {
            case JPEG -> decodeEncoded(frame, limits, "JPEG", "jpeg", JPEG_SOI);
            case PNG -> decodeEncoded(frame, limits, "PNG", "png", PNG_SIGNATURE);
            case RGB24, BGR24 -> new DecodedImage(decodeRaw(frame, limits), frame.width(), frame.height(), 1);
        };
    }

    /**
     * The smallest n such that every n-th pixel of every n-th row fits under the decode cap. Raw frames are never
     * subsampled: their pixels are already in memory, bounded by the record limit.
     */
    static int subsampling(int width, int height, long maxDecodePixels) {
        int n = 1;
        while (((long) ceilDiv(width, n)) * ceilDiv(height, n) > maxDecodePixels) {
            n++;
        }
        return n;
    }

    private static DecodedImage decodeEncoded(FrameInput frame, ImageLimits limits, String label, String format,
            byte[] signature) throws ImageDecodeException {
        if (!startsWith(frame.payload(), signature)) {
            throw decodeFailure("payload of " + frame.payload().length + " bytes is not a " + label
                    + " (bad signature)");
        }
        if (frame.encoding() == ImageEncoding.JPEG) {
            Optional<DecodedImage> fast = decodeNatively(frame, limits);
            if (fast.isPresent()) {
                return fast.get();
            }
        }
        ImageReader reader = ImageIO.getImageReadersByFormatName(format).next();
        // ImageIO reports a truncated or corrupt JPEG as a warning and returns a partly grey image: collect the
        // warnings and refuse the frame instead.
        List<String> warnings = new ArrayList<>();
        reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(frame.payload()))) {
            reader.setInput(in, true, true);
            // Only the header is read here: nothing is allocated for pixels yet.
            int width = reader.getWidth(0);
            int height = reader.getHeight(0);
            checkSize(frame, limits, width, height);
            int n = subsampling(width, height, limits.maxDecodePixels());
            ImageReadParam param = reader.getDefaultReadParam();
            param.setSourceSubsampling(n, n, 0, 0);
            BufferedImage image = reader.read(0, param);
            if (!warnings.isEmpty()) {
                throw decodeFailure("corrupt " + label + ": " + String.join("; ", warnings));
            }
            return new DecodedImage(drawable(image), width, height, n);
        } catch (ImageDecodeException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            // ImageIO's plugins signal malformed data with IIOException and, for some streams, runtime exceptions.
            throw decodeFailure("cannot decode " + label + ": " + e.getMessage());
        } finally {
            reader.dispose();
        }
    }

    /**
     * A colour JPEG that fits under the decode cap, decoded by libjpeg-turbo with the size read from its frame header
     * (no ImageIO reader is set up, which cost more than the header is worth); empty for anything else, or when
     * libjpeg-turbo refuses it, and ImageIO then decodes or gives the verdict.
     */
    private static Optional<DecodedImage> decodeNatively(FrameInput frame, ImageLimits limits)
            throws ImageDecodeException {
        Jpegs.FrameHeader header = Jpegs.frameHeader(frame.payload());
        if (header == null || header.components() != 3 || header.width() <= 0 || header.height() <= 0
                || subsampling(header.width(), header.height(), limits.maxDecodePixels()) != 1) {
            return Optional.empty();
        }
        checkSize(frame, limits, header.width(), header.height());
        return NativeJpeg.get().decode(frame.payload(), header)
                .map(pixels -> new DecodedImage(pixels, header.width(), header.height(), 1));
    }

    private static void checkSize(FrameInput frame, ImageLimits limits, int width, int height)
            throws ImageDecodeException {
        if (width <= 0 || height <= 0) {
            throw decodeFailure(frame.encoding() + " header gives size " + width + "x" + height);
        }
        if (frame.declaresSize() && (width != frame.width() || height != frame.height())) {
            throw new ImageDecodeException(FailureCode.IMAGE_SIZE_MISMATCH, "declared " + frame.width() + "x"
                    + frame.height() + " but the " + frame.encoding() + " is " + width + "x" + height);
        }
        checkPixels(limits, width, height);
    }

    private static void checkPixels(ImageLimits limits, int width, int height) throws ImageDecodeException {
        if ((long) width * height > limits.maxPixels()) {
            throw new ImageDecodeException(FailureCode.IMAGE_TOO_LARGE, "image of " + width + "x" + height
                    + " exceeds the limit of " + limits.maxPixels() + " pixels");
        }
    }

    private static BufferedImage decodeRaw(FrameInput frame, ImageLimits limits) throws ImageDecodeException {
        if (!frame.declaresSize()) {
            throw new ImageDecodeException(FailureCode.IMAGE_SIZE_MISMATCH,
                    frame.encoding() + " frame needs a declared width and height");
        }
        checkPixels(limits, frame.width(), frame.height());
        long expected = 3L * frame.width() * frame.height();
        if (frame.payload().length != expected) {
            throw new ImageDecodeException(FailureCode.IMAGE_SIZE_MISMATCH, frame.encoding() + " payload has "
                    + frame.payload().length + " bytes, " + frame.width() + "x" + frame.height() + " needs " + expected);
        }
        // A copy: the host draws on the pixels, and the payload itself is never modified.
        if (frame.encoding() == ImageEncoding.RGB24) {
            return RgbImages.wrap(frame.payload().clone(), frame.width(), frame.height());
        }
        BufferedImage image = new BufferedImage(frame.width(), frame.height(), BufferedImage.TYPE_3BYTE_BGR);
        byte[] pixels = RgbImages.bytes(image);
        System.arraycopy(frame.payload(), 0, pixels, 0, pixels.length);
        return image;
    }

    /**
     * Grey, palette and 16-bit images are redrawn in packed 8-bit RGB, so coloured annotations keep their colour (and
     * the detector and encoder take the pixels as they are).
     */
    private static BufferedImage drawable(BufferedImage image) {
        return DRAWABLE_TYPES.contains(image.getType()) ? image : RgbImages.packed(image);
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

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }

    private static ImageDecodeException decodeFailure(String message) {
        return new ImageDecodeException(FailureCode.IMAGE_DECODE, message);
    }
}
