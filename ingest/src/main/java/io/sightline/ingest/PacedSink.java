package io.sightline.ingest;

import io.sightline.schemas.avro.Frame;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** Passes frames on at most at a given rate, waiting between them (a folder replayed as a camera would send it). */
public final class PacedSink implements FrameSink {

    private final FrameSink next;
    private final long intervalNanos;
    private final AtomicLong frames = new AtomicLong();
    private long nextDueNanos;

    /** @param fps frames per second; 0 passes them on as fast as the sink takes them */
    public PacedSink(FrameSink next, double fps) {
        if (fps < 0 || Double.isNaN(fps)) {
            throw new IllegalArgumentException("fps must be positive (or 0 for no limit), got " + fps);
        }
        this.next = next;
        this.intervalNanos = fps == 0 ? 0 : (long) (TimeUnit.SECONDS.toNanos(1) / fps);
    }

    @Override
    public void frame(Frame frame) {
        if (intervalNanos > 0) {
            long now = System.nanoTime();
            long due = frames.get() == 0 ? now : nextDueNanos;
            if (due - now > 0) {
                sleepNanos(due - now);
            }
            // Measured after the wait: a thread descheduled past its due time still leaves a full interval to the
            // next frame (F is a limit), and a sink that fell behind starts a new schedule instead of a burst.
            nextDueNanos = System.nanoTime() + intervalNanos;
        }
        next.frame(frame);
        frames.incrementAndGet();
    }

    @Override
    public void rejected(String cameraId, String frameId, String origin, byte[] content, RejectedImageException why) {
        next.rejected(cameraId, frameId, origin, content, why);
    }

    /** Frames passed on so far. */
    public long frames() {
        return frames.get();
    }

    private static void sleepNanos(long nanos) {
        try {
            TimeUnit.NANOSECONDS.sleep(nanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while pacing frames", e);
        }
    }
}
