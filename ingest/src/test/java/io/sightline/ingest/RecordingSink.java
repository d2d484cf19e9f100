package io.sightline.ingest;

import io.sightline.schemas.avro.Frame;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** Keeps the frames it is given, and each rejection as "REASON origin: message"; safe to read while a source runs. */
final class RecordingSink implements FrameSink {

    private final List<Frame> frames = new CopyOnWriteArrayList<>();
    private final List<String> rejections = new CopyOnWriteArrayList<>();

    List<Frame> frames() {
        return frames;
    }

    List<String> rejections() {
        return rejections;
    }

    @Override
    public void frame(Frame frame) {
        frames.add(frame);
    }

    @Override
    public void rejected(String cameraId, String frameId, String origin, byte[] content, RejectedImageException why) {
        rejections.add(why.reason() + " " + origin + ": " + why.getMessage());
    }

    /** This sink behind a downstream step that sees each frame first (slow, failing, counting). */
    FrameSink after(Consumer<Frame> downstream) {
        return new FrameSink() {
            @Override
            public void frame(Frame frame) {
                downstream.accept(frame);
                RecordingSink.this.frame(frame);
            }

            @Override
            public void rejected(String cameraId, String frameId, String origin, byte[] content,
                    RejectedImageException why) {
                RecordingSink.this.rejected(cameraId, frameId, origin, content, why);
            }
        };
    }

    /** The encoded image a frame carries. */
    static byte[] bytes(Frame frame) {
        ByteBuffer payload = frame.getPayload().duplicate();
        byte[] bytes = new byte[payload.remaining()];
        payload.get(bytes);
        return bytes;
    }
}
