package io.sightline.ingest;

import io.sightline.schemas.avro.Frame;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Passes frames on with the spacing their capture times had, divided by a speed: a recording replayed as it
 * happened (×1), faster (×N), or as fast as the sink takes it (speed 0). The frames keep their capture times; only
 * when they are sent changes. Time is measured from the first frame, so a sink that falls behind catches up instead
 * of drifting.
 */
public final class ReplayPacer implements FrameSink {

    /** How the pacer waits: a real sleep, or a fake clock's advance in tests. */
    @FunctionalInterface
    interface Sleeper {
        void sleepNanos(long nanos) throws InterruptedException;
    }

    private final FrameSink next;
    private final double speed;
    private final LongSupplier nanoTime;
    private final Sleeper sleeper;
    private Instant firstCapture;
    private long firstNanos;
    private volatile long lastSentNanos;
    private volatile long frames;

    /** @param speed 1 for the original pace, N for N times faster, 0 for as fast as possible */
    public ReplayPacer(FrameSink next, double speed) {
        this(next, speed, System::nanoTime, TimeUnit.NANOSECONDS::sleep);
    }

    ReplayPacer(FrameSink next, double speed, LongSupplier nanoTime, Sleeper sleeper) {
        if (speed < 0 || Double.isNaN(speed) || Double.isInfinite(speed)) {
            throw new IllegalArgumentException("speed must be positive (or 0 for as fast as possible), got " + speed);
        }
        this.next = next;
        this.speed = speed;
        this.nanoTime = nanoTime;
        this.sleeper = sleeper;
    }

    @Override
    public void frame(Frame frame) {
        if (speed > 0) {
            waitUntilDue(frame.getCapturedAt());
        }
        next.frame(frame);
        lastSentNanos = nanoTime.getAsLong();
        if (frames == 0 && speed == 0) {
            firstNanos = lastSentNanos;
        }
        frames++;
    }

    @Override
    public void rejected(String cameraId, String frameId, String origin, byte[] content, RejectedImageException why) {
        next.rejected(cameraId, frameId, origin, content, why);
    }

    /** Frames passed on so far. */
    public long frames() {
        return frames;
    }

    /** Time from the first frame passed on to the last: the replay's own length, start-up left out. */
    public Duration elapsed() {
        return frames < 2 ? Duration.ZERO : Duration.ofNanos(lastSentNanos - firstNanos);
    }

    private void waitUntilDue(Instant capturedAt) {
        long now = nanoTime.getAsLong();
        if (firstCapture == null) {
            firstCapture = capturedAt;
            firstNanos = now;
            return;
        }
        long offset = Duration.between(firstCapture, capturedAt).toNanos();
        long due = firstNanos + (long) (offset / speed);
        if (due - now > 0) {
            try {
                sleeper.sleepNanos(due - now);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while pacing the replay", e);
            }
        }
    }
}
