package io.sightline.ingest;

import io.sightline.schemas.avro.Frame;

/** Where a source puts what it read: frames, and files that could not become frames. */
public interface FrameSink {

    void frame(Frame frame);

    void rejected(SourceFile file, byte[] content, RejectedImageException why);
}
