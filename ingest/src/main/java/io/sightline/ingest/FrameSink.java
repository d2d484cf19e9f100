package io.sightline.ingest;

import io.sightline.schemas.avro.Frame;

/** Where a source puts what it read: frames, and inputs that could not become frames. */
public interface FrameSink {

    void frame(Frame frame);

    /**
     * @param origin  where the input came from, for the dead letter's message (a file name, a URL and part number)
     * @param content the input's bytes, or null when they were not kept (a live part too large to buffer)
     */
    void rejected(String cameraId, String frameId, String origin, byte[] content, RejectedImageException why);
}
