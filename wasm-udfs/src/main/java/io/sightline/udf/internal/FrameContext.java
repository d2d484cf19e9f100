package io.sightline.udf.internal;

import io.sightline.model.Face;
import io.sightline.udf.FrameInput;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Host-side state of one frame's UDF call: the handles the guest sees and what it emitted. Closing it releases
 * every image, so handles never outlive their frame.
 */
public final class FrameContext implements AutoCloseable {

    /** The only frame handle: a call sees exactly one frame. */
    public static final int FRAME_HANDLE = 1;

    private final FrameInput frame;
    private final List<HostImage> images = new ArrayList<>();
    private final List<Face> emittedFaces = new ArrayList<>();
    private List<Face> detectedFaces = List.of();
    private HostImage emittedImage;
    private long inferenceNanos;

    public FrameContext(FrameInput frame, BufferedImage decoded) {
        this.frame = frame;
        images.add(new HostImage(decoded));
    }

    FrameInput frame(int handle) {
        if (handle != FRAME_HANDLE) {
            throw new UdfAbiException("unknown frame handle " + handle);
        }
        return frame;
    }

    int frameImageHandle(int frameHandle) {
        frame(frameHandle);
        return 1;
    }

    HostImage image(int handle) {
        if (handle < 1 || handle > images.size()) {
            throw new UdfAbiException("unknown image handle " + handle);
        }
        return images.get(handle - 1);
    }

    void detected(List<Face> faces, long nanos) {
        detectedFaces = faces;
        inferenceNanos += nanos;
    }

    Face detectedFace(int index) {
        if (index < 0 || index >= detectedFaces.size()) {
            throw new UdfAbiException("face index " + index + " out of range: detect_faces found "
                    + detectedFaces.size());
        }
        return detectedFaces.get(index);
    }

    void emit(List<Face> faces) {
        emittedFaces.addAll(faces);
    }

    void emitImage(int handle) {
        emittedImage = image(handle);
    }

    public List<Face> emittedFaces() {
        return emittedFaces;
    }

    public Optional<BufferedImage> emittedImage() {
        return Optional.ofNullable(emittedImage).map(HostImage::pixels);
    }

    public long inferenceNanos() {
        return inferenceNanos;
    }

    @Override
    public void close() {
        images.forEach(HostImage::release);
        images.clear();
    }

    /** An image behind a handle, with the Graphics2D that draws on it created on first use. */
    static final class HostImage {

        private final BufferedImage pixels;
        private Graphics2D graphics;

        HostImage(BufferedImage pixels) {
            this.pixels = pixels;
        }

        BufferedImage pixels() {
            return pixels;
        }

        Graphics2D graphics() {
            if (graphics == null) {
                graphics = pixels.createGraphics();
            }
            return graphics;
        }

        void release() {
            if (graphics != null) {
                graphics.dispose();
            }
        }
    }
}
