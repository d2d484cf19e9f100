package io.sightline.udf;

import io.sightline.udf.internal.FrameImage;

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

    FrameImage image() {
        return image;
    }

    @Override
    public void close() {
        image.close();
    }
}
