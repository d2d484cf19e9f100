package io.sightline.udf.internal;

import io.sightline.udf.UdfMetrics;
import java.util.HashMap;
import java.util.Map;

/**
 * The counters and timers of one UDF instance. Written by its stream thread, read by whoever exports metrics: all
 * access is synchronized, which is cheap at a few calls per frame.
 */
public final class MetricsRecorder {

    /** Metric names are label values downstream: keep their number bounded. */
    static final int MAX_METRICS = 64;

    private final Map<String, Long> counters = new HashMap<>();
    private final Map<String, UdfMetrics.Timer> timers = new HashMap<>();

    synchronized void add(String counter, long delta) {
        if (delta < 0) {
            throw new UdfAbiException("counter_add delta must not be negative, got " + delta);
        }
        checkRoom(counter, counters.containsKey(counter));
        counters.merge(counter, delta, Long::sum);
    }

    synchronized void record(String timer, long nanos) {
        if (nanos < 0) {
            throw new UdfAbiException("timer_record nanos must not be negative, got " + nanos);
        }
        checkRoom(timer, timers.containsKey(timer));
        timers.merge(timer, new UdfMetrics.Timer(1, nanos, nanos), (a, b) -> new UdfMetrics.Timer(
                a.count() + 1, a.totalNanos() + b.totalNanos(), Math.max(a.maxNanos(), b.maxNanos())));
    }

    public synchronized UdfMetrics snapshot() {
        return new UdfMetrics(counters, timers);
    }

    private void checkRoom(String name, boolean known) {
        if (!known && counters.size() + timers.size() >= MAX_METRICS) {
            throw new UdfAbiException("metric " + name + " is one too many: a UDF instance may have at most "
                    + MAX_METRICS + " counters and timers");
        }
    }
}
