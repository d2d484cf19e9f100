package io.sightline.app;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.sightline.ingest.LiveReport;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/** A live source's counters as Prometheus meters, read from its report whenever they are scraped. */
final class IngestMetrics {

    private IngestMetrics() {}

    static void bind(MeterRegistry registry, String camera, Supplier<LiveReport> report, LongSupplier acknowledged) {
        FunctionCounter.builder("sightline.ingest.frames.sent", report, r -> r.get().published())
                .description("Frames handed to the producer").tag("camera", camera).register(registry);
        FunctionCounter.builder("sightline.ingest.frames.acknowledged", acknowledged, LongSupplier::getAsLong)
                .description("Frames the cluster acknowledged").tag("camera", camera).register(registry);
        FunctionCounter.builder("sightline.ingest.frames.skipped", report, r -> r.get().skippedStale())
                .description("Frames skipped: a newer frame was waiting (latest frame wins), or over --fps")
                .tag("camera", camera).tag("why", "newer_frame_waiting").register(registry);
        FunctionCounter.builder("sightline.ingest.frames.skipped", report, r -> r.get().skippedOverFps())
                .tag("camera", camera).tag("why", "over_fps").register(registry);
        FunctionCounter.builder("sightline.ingest.frames.unsent", report, r -> r.get().unsent())
                .description("Frames not sent while Kafka was unavailable").tag("camera", camera).register(registry);
        FunctionCounter.builder("sightline.ingest.frames.rejected", report,
                        r -> r.get().rejected().values().stream().mapToLong(Long::longValue).sum())
                .description("Inputs dead-lettered at ingest").tag("camera", camera).register(registry);
        FunctionCounter.builder("sightline.ingest.reconnects", report, r -> r.get().reconnects())
                .description("Reconnects to the camera").tag("camera", camera).register(registry);
        Gauge.builder("sightline.ingest.streaming", report, r -> r.get().streaming() ? 1 : 0)
                .description("1 while the camera is streaming").tag("camera", camera).register(registry);
    }
}
