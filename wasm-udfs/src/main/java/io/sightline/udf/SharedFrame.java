package io.sightline.udf;

import io.sightline.model.RgbImages;
import io.sightline.udf.internal.FrameImage;
import java.awt.image.BufferedImage;

/**
 * One frame handed to several stages in turn, each with its own instance and state: it is decoded once, on first
 * use, each stage sees what earlier stages drew or blurred, and a face detection on the same image at the same
 * minimum face size runs once however many stages ask for it. Closing it releases the image. Not thread-safe: one
 * frame, one thread.
 */
public final class SharedFrame implements AutoCloseable {

    private final FrameImage image;

    private SharedFrame(FrameImage image) {
        this.image = image;
    }

    /** @param limits how the frame is decoded (the first stage's limits, for a chain) */
    public static SharedFrame of(FrameInput frame, ImageLimits limits) {
        return new SharedFrame(new FrameImage(frame, limits));
    }

    /**
     * The pixels the stages and the detector see for {@code frame}: decoded the way a chain decodes it (subsampled
     * above the decode cap of {@code limits}), as a packed RGB copy the caller owns. For measurements that must run
     * the detector on exactly what the pipeline runs it on.
     *
     * @throws FrameImage.FrameDecodeException when the frame cannot be decoded
     */
    public static BufferedImage decode(FrameInput frame, ImageLimits limits) {
        try (FrameImage image = new FrameImage(frame, limits)) {
            BufferedImage pixels = image.decoded().pixels();
            if (!RgbImages.isPacked(pixels)) {
                return RgbImages.packed(pixels);
            }
            BufferedImage copy = RgbImages.create(pixels.getWidth(), pixels.getHeight());
            byte[] to = RgbImages.bytes(copy);
            System.arraycopy(RgbImages.bytes(pixels), 0, to, 0, to.length);
            return copy;
        }
    }

    FrameImage image() {
        return image;
    }

    @Override
    public void close() {
        image.close();
    }
}
