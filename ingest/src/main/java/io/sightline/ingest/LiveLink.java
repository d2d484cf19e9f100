package io.sightline.ingest;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a reconnecting {@link LiveSource} keeps across its connections to the camera: the stop signal, how often the
 * stream was opened again, the time without frames between streams, and whether frames come in now. Written by the
 * thread that runs the source, read from any.
 */
final class LiveLink {

    private static final Logger log = LoggerFactory.getLogger(LiveLink.class);

    /** One connection to the camera: opens the stream (calling {@link #opened}) and reads it until it ends. */
    interface Connection {
        /** @return why the stream ended when it ended without an exception */
        String readToEnd() throws Exception;
    }

    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean streaming;
    private volatile long reconnects;
    private volatile long gapMillis;
    private boolean everOpened;
    private boolean firstOfStream;
    private Instant lastFrameAt;

    boolean stopped() {
        return stopped.getCount() == 0;
    }

    void stop() {
        stopped.countDown();
    }

    /** The stream was opened: every opening after the first is a reconnect. */
    void opened() {
        if (everOpened) {
            reconnects++;
        }
        everOpened = true;
        firstOfStream = true;
    }

    /** A frame arrived: the first of a stream closes the gap since the last frame of the stream before. */
    void frameAt(Instant arrived) {
        if (firstOfStream && lastFrameAt != null) {
            gapMillis += Duration.between(lastFrameAt, arrived).toMillis();
        }
        firstOfStream = false;
        lastFrameAt = arrived;
        streaming = true;
    }

    void ended() {
        streaming = false;
    }

    /** Waits before the next attempt; true when stopped meanwhile. */
    boolean pause(Duration pause) {
        try {
            return stopped.await(pause.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }

    long reconnects() {
        return reconnects;
    }

    Duration gap() {
        return Duration.ofMillis(gapMillis);
    }

    boolean streaming() {
        return streaming;
    }

    /**
     * Keeps the camera's stream open until stopped, the one reconnect loop of every live source: after each
     * connection ends or fails it waits a pause that doubles from the backoff's first to its largest, starting over
     * after a stream that delivered frames (a new outage).
     *
     * @param frames   frames read so far, to tell a new outage from a camera still away
     * @param describe how a failure reads in the log
     */
    void keepOpen(String camera, String where, Backoff backoff, LongSupplier frames, Connection connection,
            Function<Exception, String> describe) {
        while (!stopped()) {
            long framesBefore = frames.getAsLong();
            String why;
            try {
                why = connection.readToEnd();
            } catch (Exception e) {
                why = describe.apply(e);
            } finally {
                ended();
            }
            if (stopped()) {
                return;
            }
            if (frames.getAsLong() > framesBefore) {
                backoff.reset();
                log.warn("camera {}: lost the stream from {} ({}); reconnecting", camera, where, why);
            }
            Duration pause = backoff.next();
            log.info("camera {}: no stream from {} ({}); next attempt in {} ms", camera, where, why,
                    pause.toMillis());
            if (pause(pause)) {
                return;
            }
        }
    }
}
