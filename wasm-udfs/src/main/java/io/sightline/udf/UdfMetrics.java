package io.sightline.udf;

import java.util.Map;

/**
 * A snapshot of the counters and timers a UDF instance recorded through {@code counter_add} and {@code timer_record}
 * since it was created (across the Wasm instances it replaced after failures), for export as metrics.
 */
public record UdfMetrics(Map<String, Long> counters, Map<String, Timer> timers) {

    public UdfMetrics {
        counters = Map.copyOf(counters);
        timers = Map.copyOf(timers);
    }

    /** Durations recorded in one timer. */
    public record Timer(long count, long totalNanos, long maxNanos) {}
}
