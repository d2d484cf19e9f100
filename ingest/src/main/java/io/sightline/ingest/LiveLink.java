package io.sightline.ingest;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * What a reconnecting {@link LiveSource} keeps across its connections to the camera: the stop signal, how often the
 * stream was opened again, the time without frames between streams, and whether frames come in now. Written by the
 * thread that runs the source, read from any.
 */
final class LiveLink {

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
}
