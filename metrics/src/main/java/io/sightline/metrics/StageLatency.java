package io.sightline.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/** Per-stage latency histograms (decode, udf, inference, total), with one set of buckets for every component. */
final class StageLatency {

    private static final Duration[] BUCKETS = {
        Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
        Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
        Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10)};

    private StageLatency() {}

    static void record(MeterRegistry registry, String name, String stage, double millis) {
        Timer.builder(name).description("Time a frame spent in a pipeline stage")
                .tag("stage", stage).serviceLevelObjectives(BUCKETS).register(registry)
                .record(Duration.ofNanos((long) (millis * 1_000_000)));
    }
}
