package io.sightline.stream;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.sightline.schemas.avro.DeadLetter;
import io.sightline.schemas.avro.DetectionEvent;
import io.sightline.schemas.avro.Frame;
import io.sightline.schemas.avro.Timings;
import java.time.Duration;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Meters of one processor instance, taken where records cross the topology's edge: frames read, events (and per
 * camera those flagged for clock skew) and dead letters written (by reason and stage; UDF traps, timeouts and deliberate drops also per UDF), faces found, inferences run, and per-stage latency histograms (decode, UDF,
 * inference, total) from each event's own timings. Wraps the topology's serdes, so the topology itself is unchanged.
 */
public final class ProcessorMetrics {

    private static final Duration[] LATENCY_BUCKETS = {
        Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
        Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
        Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10)};

    private ProcessorMetrics() {}

    public static TopologySerdes metered(TopologySerdes serdes, MeterRegistry registry) {
        Counter framesIn = Counter.builder("sightline.processor.frames.in")
                .description("Frame records read from the frames topic").register(registry);
        Deserializer<Frame> frames = serdes.frames();
        Serializer<DetectionEvent> detections = serdes.detections();
        Serializer<DeadLetter> deadLetters = serdes.deadLetters();
        return new TopologySerdes(
                (topic, bytes) -> {
                    framesIn.increment();
                    return frames.deserialize(topic, bytes);
                },
                (topic, event) -> {
                    recordEvent(registry, event);
                    return detections.serialize(topic, event);
                },
                serdes.annotated(),
                (topic, letter) -> {
                    recordDeadLetter(registry, letter);
                    return deadLetters.serialize(topic, letter);
                },
                serdes.outputs());
    }

    private static void recordDeadLetter(MeterRegistry registry, DeadLetter letter) {
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

    private static void recordEvent(MeterRegistry registry, DetectionEvent event) {
        Counter.builder("sightline.processor.frames.out").description("Detection events written")
                .register(registry).increment();
        Counter.builder("sightline.processor.faces").description("Faces found").register(registry)
                .increment(event.getFaces().size());
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
        stage(registry, "decode", timings.getDecodeMs());
        stage(registry, "udf", timings.getUdfMs());
        stage(registry, "inference", timings.getInferenceMs());
        stage(registry, "total", timings.getTotalMs());
    }

    private static void stage(MeterRegistry registry, String stage, double millis) {
        Timer.builder("sightline.processor.stage.latency").description("Time a frame spent in a pipeline stage")
                .tag("stage", stage).serviceLevelObjectives(LATENCY_BUCKETS).register(registry)
                .record(Duration.ofNanos((long) (millis * 1_000_000)));
    }
}
