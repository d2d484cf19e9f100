package io.sightline.ingest;

import io.sightline.schemas.avro.Frame;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The hand-off between a camera's reader and its publisher: one slot, latest frame wins. A frame that arrives before
 * the publisher took the previous one replaces it (the old one is counted as skipped), so a publisher slower than the
 * camera always gets the newest frame and memory holds at most one pending frame per camera. Frames arriving faster
 * than the fps limit are dropped before the slot.
 */
public final class LiveFeed {

    private final long minIntervalNanos;
    private final LongSupplier nanoTime;
    private Frame pending;
    private long nextDueNanos;
    private boolean started;
    private boolean closed;
    private long offered;
    private long skippedStale;
    private long skippedOverFps;

    /** @param maxFps frames per second passed on at most; 0 for no limit */
    public LiveFeed(double maxFps) {
        this(maxFps, System::nanoTime);
    }

    LiveFeed(double maxFps, LongSupplier nanoTime) {
        if (maxFps < 0 || Double.isNaN(maxFps)) {
            throw new IllegalArgumentException("fps must be positive (or 0 for no limit), got " + maxFps);
        }
        this.minIntervalNanos = maxFps == 0 ? 0 : (long) (TimeUnit.SECONDS.toNanos(1) / maxFps);
        this.nanoTime = nanoTime;
    }

    /** Called by the reader for every frame the camera sent. */
    public synchronized void offer(Frame frame) {
        offered++;
        if (!withinRate()) {
            skippedOverFps++;
            return;
        }
        if (pending != null) {
            skippedStale++;
        }
        pending = frame;
        notifyAll();
    }

    /**
     * Whether a frame offered now would pass the fps limit; a source that must encode its frames asks first and, when
     * not, calls {@link #skipOverFps()} instead of encoding one for nothing.
     */
    public synchronized boolean dueNow() {
        return minIntervalNanos == 0 || !started || nanoTime.getAsLong() - nextDueNanos >= 0;
    }

    /** Counts a frame the source dropped on {@link #dueNow()}'s answer, as {@link #offer} would have. */
    public synchronized void skipOverFps() {
        offered++;
        skippedOverFps++;
    }

    /** The newest frame not yet taken, waiting up to the timeout; empty on timeout or once closed and drained. */
    public synchronized Optional<Frame> take(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (pending == null && !closed) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return Optional.empty();
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        Frame frame = pending;
        pending = null;
        return Optional.ofNullable(frame);
    }

    /** Wakes a waiting publisher; a frame still pending can be taken. */
    public synchronized void close() {
        closed = true;
        notifyAll();
    }

    public synchronized Counts counts() {
        return new Counts(offered, skippedStale, skippedOverFps);
    }

    /**
     * @param offered        frames the camera sent that became frames
     * @param skippedStale   frames replaced by a newer one before they were published
     * @param skippedOverFps frames dropped by the fps limit
     */
    public record Counts(long offered, long skippedStale, long skippedOverFps) {
        public long skipped() {
            return skippedStale + skippedOverFps;
        }
    }

    /** On a grid of the fps interval, so 25 fps limited to 10 passes 10 a second, not every third frame (8.3). */
    private boolean withinRate() {
        if (minIntervalNanos == 0) {
            return true;
        }
        long now = nanoTime.getAsLong();
        if (started && now - nextDueNanos < 0) {
            return false;
        }
        // After a pause start a new grid instead of letting a burst through.
        nextDueNanos = started && now - nextDueNanos < minIntervalNanos ? nextDueNanos + minIntervalNanos
                : now + minIntervalNanos;
        started = true;
        return true;
    }
}
