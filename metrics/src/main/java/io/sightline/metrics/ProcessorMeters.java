package io.sightline.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.sightline.schemas.avro.DeadLetter;
import io.sightline.schemas.avro.DetectionEvent;
import io.sightline.schemas.avro.Timings;

/**
 * Meters of one processor instance, taken where records cross the topology's edge: frames read, events (and per
 * camera those flagged for clock skew) and dead letters written (by reason and stage; UDF traps, timeouts and
 * deliberate drops also per UDF), faces found, inferences run, and per-stage latency histograms (decode, UDF,
 * inference, total) from each event's own timings.
 */
public final class ProcessorMeters {

    private final MeterRegistry registry;
    private final Counter framesIn;

    public ProcessorMeters(MeterRegistry registry) {
        this.registry = registry;
        this.framesIn = Counter.builder("sightline.processor.frames.in")
                .description("Frame records read from the frames topic").register(registry);
    }

    /** A frame record read from the frames topic. */
    public void frameIn() {
        framesIn.increment();
    }

    /** A dead letter written: by reason and stage; UDF traps, timeouts and deliberate drops also per UDF. */
    public void deadLetter(DeadLetter letter) {
        Counter.builder("sightline.processor.dead.letters").description("Dead letters written")
                .tag("reason", letter.getReasonCode()).tag("stage", letter.getStage())
                .register(registry).increment();
        String udf = letter.getUdf() == null ? "unknown" : letter.getUdf().getName() + "@" + letter.getUdf().getVersion();
        switch (letter.getReasonCode()) {
            case "UDF_TRAP" -> Counter.builder("sightline.udf.traps")
                    .description("UDF calls that trapped (the frame went to the dead-letter topic)")
                    .tag("udf", udf).register(registry).increment();
            case "UDF_TIMEOUT" -> Counter.builder("sightline.udf.timeouts")
                    .description("UDF calls stopped for running past their time budget")
                    .tag("udf", udf).register(registry).increment();
            case "DROPPED_BY_UDF" -> Counter.builder("sightline.processor.frames.skipped")
                    .description("Frames a UDF chose to drop (e.g. a sampler), accounted as dead letters")
                    .tag("udf", udf).register(registry).increment();
            default -> { }
        }
    }

    /** An event written: frames out, faces, inferences, clock skew per camera, and per-stage latency. */
    public void event(DetectionEvent event) {
        Counter.builder("sightline.processor.frames.out").description("Detection events written")
                .register(registry).increment();
        Counter.builder("sightline.processor.faces").description("Faces found").register(registry)
                .increment(event.getFaces().size());
        if (Boolean.TRUE.equals(event.getLate())) {
            Counter.builder("sightline.processor.events.late")
                    .description("Events published after later events of their camera (flagged late): their frame "
                            + "was detected on another thread or instance and came after the order timeout")
                    .tag("camera", event.getCameraId()).register(registry).increment();
        }
        if (event.getClockSkew() != null) {
            Counter.builder("sightline.processor.frames.clock.skewed")
                    .description("Frames whose capture time lay beyond the clock skew limits from when they were "
                            + "written (their events carry clockSkew), per camera and direction")
                    .tag("camera", event.getCameraId()).tag("direction", event.getClockSkew() > 0 ? "ahead" : "behind")
                    .register(registry).increment();
        }
        Timings timings = event.getTimings();
        if (timings.getInferenceMs() > 0) {
            Counter.builder("sightline.processor.inference.runs").description("Frames the face model ran on")
                    .tag("model", event.getModel().getName()).register(registry).increment();
        }
        stage("decode", timings.getDecodeMs());
        stage("udf", timings.getUdfMs());
        stage("inference", timings.getInferenceMs());
        stage("total", timings.getTotalMs());
    }

    /** A UDF deployment the processor refused, its running version kept: by UDF name and reason code. */
    public void udfDeploymentRefused(String udf, String reason) {
        Counter.builder("sightline.udf.deployments.refused")
                .description("UDF deployments refused (bytes not matching their sha256, unsigned or untrusted "
                        + "signature); the running version stays")
                .tag("udf", udf).tag("reason", reason).register(registry).increment();
    }

    private void stage(String stage, double millis) {
        StageLatency.record(registry, "sightline.processor.stage.latency", stage, millis);
    }
}
