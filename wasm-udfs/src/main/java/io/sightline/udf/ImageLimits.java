package io.sightline.udf;

/**
 * How large an image the host decodes and emits. The application fills it from the deployment's frame limits (this
 * module cannot see the Kafka-side contract).
 *
 * @param maxPixels       width × height above which a frame is refused (IMAGE_TOO_LARGE)
 * @param maxDecodePixels width × height above which a frame is decoded subsampled (every n-th pixel and row) for the
 *                        UDF and the detector; faces are reported in pixels of the original image. Bounds one frame's
 *                        memory: the pixels of a huge PNG are never all in memory at once.
 * @param maxImageBytes   largest annotated image emitted; a larger one is re-encoded as JPEG at lower quality, then
 *                        downscaled, and omitted if it still does not fit
 * @param jpegQuality     JPEG quality (0-1) of the first attempt: of every annotated image when the format is JPEG,
 *                        else when the PNG does not fit
 * @param annotatedFormat how annotated images are encoded: {@link ImageEncoding#PNG} (lossless, falling back to JPEG
 *                        when too large) or {@link ImageEncoding#JPEG} (about 10x smaller and faster to encode)
 */
public record ImageLimits(long maxPixels, long maxDecodePixels, int maxImageBytes, float jpegQuality,
        ImageEncoding annotatedFormat) {

    // The application derives its limits from the deployment's FrameLimits; these match its defaults.
    public static final long DEFAULT_MAX_PIXELS = 100_000_000L;
    public static final long DEFAULT_MAX_DECODE_PIXELS = 4_000_000L;
    public static final int DEFAULT_MAX_IMAGE_BYTES = 16 * 1024 * 1024 - 16 * 1024;
    public static final float DEFAULT_JPEG_QUALITY = 0.85f;

    public ImageLimits {
        if (maxPixels <= 0 || maxDecodePixels <= 0 || maxDecodePixels > maxPixels) {
            throw new IllegalArgumentException("need 0 < maxDecodePixels <= maxPixels, got " + maxDecodePixels
                    + " and " + maxPixels);
        }
        if (maxImageBytes <= 0) {
            throw new IllegalArgumentException("maxImageBytes must be positive, got " + maxImageBytes);
        }
        if (!(jpegQuality > 0 && jpegQuality <= 1)) {
            throw new IllegalArgumentException("jpegQuality must be in (0, 1], got " + jpegQuality);
        }
        if (annotatedFormat != ImageEncoding.PNG && annotatedFormat != ImageEncoding.JPEG) {
            throw new IllegalArgumentException("annotated images are PNG or JPEG, not " + annotatedFormat);
        }
    }

    /** Lossless PNG annotated images, JPEG only for those too large as PNG. */
    public ImageLimits(long maxPixels, long maxDecodePixels, int maxImageBytes, float jpegQuality) {
        this(maxPixels, maxDecodePixels, maxImageBytes, jpegQuality, ImageEncoding.PNG);
    }

    /** The same limits with annotated images in {@code format}, the first attempt at {@code quality} (0-1). */
    public ImageLimits withAnnotated(ImageEncoding format, float quality) {
        return new ImageLimits(maxPixels, maxDecodePixels, maxImageBytes, quality, format);
    }

    public static ImageLimits defaults() {
        return new ImageLimits(DEFAULT_MAX_PIXELS, DEFAULT_MAX_DECODE_PIXELS, DEFAULT_MAX_IMAGE_BYTES,
                DEFAULT_JPEG_QUALITY);
    }
}
