package io.sightline.dashboard;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.sightline.schemas.avro.DeadLetter;
import io.sightline.schemas.avro.DetectionEvent;
import io.sightline.schemas.avro.Timings;
import java.time.Duration;

/**
 * Pipeline meters computed from the records the dashboard reads, so they cover every processor instance at once:
 * frames processed, faces, inferences, dead letters by reason, and per-stage latency histograms from each event's
 * timings. They count what this dashboard has read since it started (including the backlog it starts with).
 */
final class DashboardMetrics {

    private static final Duration[] LATENCY_BUCKETS = {
        Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
        Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
        Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10)};

    private final MeterRegistry registry;

    DashboardMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void recordEvent(DetectionEvent event) {
        String camera = event.getCameraId();
        Counter.builder("sightline.frames.processed").description("Frames that became a detection event or a dead letter")
                .tag("camera", camera).tag("outcome", "event").register(registry).increment();
        Counter.builder("sightline.faces.detected").description("Faces found")
                .tag("camera", camera).register(registry).increment(event.getFaces().size());
        DistributionSummary.builder("sightline.faces.per.frame").description("Faces found per frame")
                .serviceLevelObjectives(1, 2, 5, 10, 20, 50, 100).register(registry)
                .record(event.getFaces().size());
        Timings timings = event.getTimings();
        if (timings.getInferenceMs() > 0) {
            Counter.builder("sightline.inference.runs").description("Frames the face model ran on")
                    .tag("model", event.getModel().getName()).register(registry).increment();
        }
        stage("decode", timings.getDecodeMs());
        stage("udf", timings.getUdfMs());
        stage("inference", timings.getInferenceMs());
        stage("total", timings.getTotalMs());
    }

    void recordDeadLetter(DeadLetter letter) {
        Counter.builder("sightline.dead.letters").description("Records dead-lettered, by reason and stage")
                .tag("reason", letter.getReasonCode()).tag("stage", letter.getStage()).register(registry).increment();
        if (!"ingest".equals(letter.getStage())) {
            Counter.builder("sightline.frames.processed")
                    .description("Frames that became a detection event or a dead letter")
                    .tag("camera", letter.getCameraId() == null ? "" : letter.getCameraId())
                    .tag("outcome", "dead_letter").register(registry).increment();
        }
    }

    private void stage(String stage, double millis) {
        Timer.builder("sightline.stage.latency").description("Time a frame spent in a pipeline stage")
                .tag("stage", stage).serviceLevelObjectives(LATENCY_BUCKETS).register(registry)
                .record(Duration.ofNanos((long) (millis * 1_000_000)));
    }
}
