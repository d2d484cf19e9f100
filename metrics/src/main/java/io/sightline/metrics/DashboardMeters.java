package io.sightline.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.sightline.schemas.DeadLetterStage;
import io.sightline.schemas.avro.DeadLetter;
import io.sightline.schemas.avro.DetectionEvent;
import io.sightline.schemas.avro.Timings;

/**
 * Pipeline meters computed from the records the dashboard reads, so they cover every processor instance at once:
 * frames processed, faces, inferences, dead letters by reason, and per-stage latency histograms from each event's
 * timings. They count what this dashboard has read since it started (including the backlog it starts with).
 */
public final class DashboardMeters {

    private final MeterRegistry registry;

    public DashboardMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    public void recordEvent(DetectionEvent event) {
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

    public void recordDeadLetter(DeadLetter letter) {
        Counter.builder("sightline.dead.letters").description("Records dead-lettered, by reason and stage")
                .tag("reason", letter.getReasonCode()).tag("stage", letter.getStage()).register(registry).increment();
        if (!DeadLetterStage.INGEST.is(letter.getStage())) {
            Counter.builder("sightline.frames.processed")
                    .description("Frames that became a detection event or a dead letter")
                    .tag("camera", letter.getCameraId() == null ? "" : letter.getCameraId())
                    .tag("outcome", "dead_letter").register(registry).increment();
        }
    }

    private void stage(String stage, double millis) {
        StageLatency.record(registry, "sightline.stage.latency", stage, millis);
    }
}
