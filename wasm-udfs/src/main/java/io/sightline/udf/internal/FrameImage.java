package io.sightline.udf.internal;

import io.sightline.model.DetectionOptions;
import io.sightline.model.Detections;
import io.sightline.model.FaceDetector;
import io.sightline.udf.EncodedImage;
import io.sightline.udf.FrameInput;
import io.sightline.udf.ImageLimits;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One frame as every stage of a chain sees it: decoded once, on first use (a filter that never looks at pixels costs
 * no decode), drawn on by each stage in turn, and with one detector result per image and minimum face size. Closing
 * it releases the image.
 */
public final class FrameImage implements AutoCloseable {

    private final FrameInput frame;
    private final ImageLimits limits;
    private final Map<DetectionKey, Detections> detections = new HashMap<>();
    private DecodedImage decoded;
    private FrameContext.HostImage image;

    public FrameImage(FrameInput frame, ImageLimits limits) {
        this.frame = frame;
        this.limits = limits;
    }

    public FrameInput frame() {
        return frame;
    }

    public boolean isDecoded() {
        return decoded != null;
    }

    /** The decoded frame; decodes it on the first call. */
    public DecodedImage decoded() {
        if (decoded == null) {
            try {
                decoded = ImageCodec.decode(frame, limits);
            } catch (ImageDecodeException e) {
                throw new FrameDecodeException(e);
            }
            image = new FrameContext.HostImage(decoded.pixels());
        }
        return decoded;
    }

    /** The decoded frame if some stage has decoded it. */
    public Optional<DecodedImage> decodedIfAny() {
        return Optional.ofNullable(decoded);
    }

    FrameContext.HostImage image() {
        decoded();
        return image;
    }

    /**
     * The frame's own bytes as the encoding of {@code target}, when they show exactly its pixels: it is this frame's
     * image, decoded whole, and no host call drew on or blurred it; the frame is in the configured snapshot format
     * and fits in a snapshot. Encoding it again would spend the time to get the same picture back, slightly worse.
     */
    Optional<EncodedImage> asSource(FrameContext.HostImage target, ImageLimits limits) {
        if (target != image || target.isDrawn() || decoded.subsampling() != 1
                || frame.encoding() != limits.annotatedFormat() || frame.payload().length > limits.maxImageBytes()) {
            return Optional.empty();
        }
        return Optional.of(new EncodedImage(frame.encoding(), decoded.width(), decoded.height(), frame.payload()));
    }

    /** Faces already detected in this frame on this image, by this detector, at these options, with their model. */
    Optional<Detections> detected(FaceDetector detector, FrameContext.HostImage target, DetectionOptions options) {
        return Optional.ofNullable(detections.get(new DetectionKey(detector, target, options)));
    }

    void remember(FaceDetector detector, FrameContext.HostImage target, DetectionOptions options, Detections found) {
        detections.put(new DetectionKey(detector, target, options), found);
    }

    @Override
    public void close() {
        if (image != null) {
            image.release();
        }
        detections.clear();
    }

    /** Identity of detector and image: equal only for the very same objects. */
    private record DetectionKey(FaceDetector detector, FrameContext.HostImage image, DetectionOptions options) {

        @Override
        public boolean equals(Object other) {
            return other instanceof DetectionKey that && detector == that.detector && image == that.image
                    && options.equals(that.options);
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(detector) * 31 * 31 + System.identityHashCode(image) * 31
                    + options.hashCode();
        }
    }

    /** The frame's payload is not the image it claims to be, found when a UDF first asked for its pixels. */
    public static final class FrameDecodeException extends RuntimeException {

        private final transient ImageDecodeException cause;

        FrameDecodeException(ImageDecodeException cause) {
            super(cause.getMessage(), cause, false, false);
            this.cause = cause;
        }

        public ImageDecodeException decodeFailure() {
            return cause;
        }
    }
}
