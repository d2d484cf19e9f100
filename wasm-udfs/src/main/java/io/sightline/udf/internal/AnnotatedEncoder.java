package io.sightline.udf.internal;

import io.sightline.udf.EncodedImage;
import io.sightline.udf.ImageEncoding;
import io.sightline.udf.ImageFit;
import io.sightline.udf.ImageLimits;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Encodes an annotated image so that it fits in a record: in the configured format (lossless PNG, or JPEG at the
 * configured quality) when it fits, else JPEG at lower qualities, then halved in size until it fits; omitted when even
 * a thumbnail does not. JPEGs of 8-bit BGR images are written by libjpeg-turbo ({@link NativeJpeg}), others by ImageIO.
 */
public final class AnnotatedEncoder {

    /** Qualities tried after the configured one, at full size and at each smaller size. */
    private static final float[] LOWER_QUALITIES = {0.6f, 0.4f};
    /** Below this edge length an annotated image shows nothing useful. */
    private static final int SMALLEST_EDGE = 64;

    private AnnotatedEncoder() {}

    /** The encoded image and how it was fitted; empty with {@link ImageFit#OMITTED} when nothing fits. */
    public record Fitted(Optional<EncodedImage> image, ImageFit fit) {}

    public static Fitted fit(BufferedImage image, ImageLimits limits) {
        int budget = limits.maxImageBytes();
        boolean lossless = limits.annotatedFormat() == ImageEncoding.PNG;
        // A photo's PNG takes well over a byte per pixel: do not spend the time when it cannot fit.
        if (lossless && (long) image.getWidth() * image.getHeight() <= budget) {
            byte[] png = PngEncoder.encode(image);
            if (png.length <= budget) {
                return new Fitted(Optional.of(encoded(ImageEncoding.PNG, image, png)), ImageFit.FULL);
            }
        }
        // Flattening an alpha channel is no reduction: a JPEG has none, and annotated frames are opaque anyway.
        BufferedImage current = opaque(image);
        boolean downscaled = false;
        while (true) {
            for (float quality : qualities(limits.jpegQuality())) {
                byte[] jpeg = encodeJpeg(current, quality);
                if (jpeg.length <= budget) {
                    boolean asAsked = !lossless && !downscaled && quality == limits.jpegQuality();
                    return new Fitted(Optional.of(encoded(ImageEncoding.JPEG, current, jpeg)),
                            asAsked ? ImageFit.FULL : ImageFit.REDUCED);
                }
            }
            if (Math.min(current.getWidth(), current.getHeight()) / 2 < SMALLEST_EDGE) {
                return new Fitted(Optional.empty(), ImageFit.OMITTED);
            }
            current = halved(current);
            downscaled = true;
        }
    }

    static byte[] encodeJpeg(BufferedImage image, float quality) {
        if (NativeJpeg.encodes(image)) {
            return NativeJpeg.get().encode(image, Math.max(1, Math.round(quality * 100)));
        }
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(quality);
            writer.write(null, new IIOImage(image, null, null), param);
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory cannot fail", e);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    private static float[] qualities(float configured) {
        float[] all = new float[LOWER_QUALITIES.length + 1];
        all[0] = configured;
        System.arraycopy(LOWER_QUALITIES, 0, all, 1, LOWER_QUALITIES.length);
        return all;
    }

    private static EncodedImage encoded(ImageEncoding encoding, BufferedImage image, byte[] bytes) {
        return new EncodedImage(encoding, image.getWidth(), image.getHeight(), bytes);
    }

    /** The JPEG writer misreads images with alpha; annotated frames are opaque anyway. */
    private static BufferedImage opaque(BufferedImage image) {
        if (!image.getColorModel().hasAlpha()) {
            return image;
        }
        return ImageOps.resize(image, image.getWidth(), image.getHeight());
    }

    private static BufferedImage halved(BufferedImage image) {
        return ImageOps.resize(image, Math.max(1, image.getWidth() / 2), Math.max(1, image.getHeight() / 2));
    }
}
