package io.sightline.ingest;

import java.time.Duration;

/** A camera that streams until stopped: it reads frames into a {@link LiveFeed} on the thread that runs it. */
public interface LiveSource extends AutoCloseable {

    /** Reads frames into the feed, reconnecting after every loss, until {@link #close()}. */
    void run(LiveFeed feed, FrameSink rejections);

    /** Times the stream was opened again after it was lost (failed attempts not counted). */
    long reconnects();

    /** Time from the last frame before each loss of the stream to the first frame after it, summed. */
    Duration gap();

    /** Whether frames are coming in now. */
    boolean streaming();

    /** Stops {@link #run} from another thread. */
    @Override
    void close();
}
