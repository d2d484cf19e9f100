package io.sightline.udf;

import java.util.Objects;

/**
 * One camera frame as it arrives from the frames topic.
 *
 * @param width  declared width in pixels; 0 for a JPEG or PNG whose size is not known upstream
 * @param height declared height in pixels; 0 for a JPEG or PNG whose size is not known upstream
 */
public record FrameInput(
        String cameraId,
        String frameId,
        long capturedAtMillis,
        ImageEncoding encoding,
        int width,
        int height,
        byte[] payload) {

    public FrameInput {
        Objects.requireNonNull(cameraId, "cameraId");
        Objects.requireNonNull(frameId, "frameId");
        Objects.requireNonNull(encoding, "encoding");
        Objects.requireNonNull(payload, "payload");
        if (width < 0 || height < 0) {
            throw new IllegalArgumentException("frame size must not be negative, got " + width + "x" + height);
        }
    }

    /** Whether the producer declared the image size; raw encodings always need it. */
    public boolean declaresSize() {
        return width > 0 && height > 0;
    }
}
