package io.sightline.edge;

import java.time.Duration;

/**
 * Decides when the edge-to-centre flow is stuck: records are waiting, the centre answers, and the forwarded count
 * has not moved for the whole stall timeout. An outage does not count (nothing can move then), nor does an idle
 * flow (nothing to move). Not thread-safe: fed by one scheduled check.
 */
public final class StallWatch {

    private final long stallNanos;
    private long lastForwarded = -1;
    private long lastProgressNanos;
    private boolean started;

    public StallWatch(Duration stall) {
        if (stall.isNegative() || stall.isZero()) {
            throw new IllegalArgumentException("stall timeout must be positive, got " + stall);
        }
        this.stallNanos = stall.toNanos();
    }

    /** True when the flow should be restarted; the clock then starts again, so one stall gives one restart. */
    public boolean check(ForwardingMonitor.Status status, long nowNanos) {
        boolean moving = !started || status.forwardedRecords() != lastForwarded;
        boolean waiting = status.centralReachable() && status.pendingRecords() > 0;
        started = true;
        lastForwarded = status.forwardedRecords();
        if (moving || !waiting) {
            lastProgressNanos = nowNanos;
            return false;
        }
        if (nowNanos - lastProgressNanos > stallNanos) {
            lastProgressNanos = nowNanos;
            return true;
        }
        return false;
    }
}
