package io.sightline.app;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.sightline.ingest.KafkaFrameSink;
import io.sightline.ingest.LiveIngest;
import io.sightline.schemas.DeadLetterReason;
import java.util.function.ToDoubleFunction;

/**
 * Prometheus meters of the ingest commands, per camera: what the Kafka sink sends (frames, bytes, dead letters by
 * reason), and a live camera's own state (skipped frames, unsent frames, reconnects, streaming).
 */
final class IngestMetrics {

    private IngestMetrics() {}

    /** Counts frames sent and acknowledged, their payload bytes, and dead letters by reason, as the sink sends them. */
    static KafkaFrameSink.Observer sinkMeters(MeterRegistry registry) {
        return new KafkaFrameSink.Observer() {
            @Override
            public void sent(String camera, int bytes) {
                Counter.builder("sightline.ingest.frames.sent").description("Frames handed to the producer")
                        .tag("camera", camera).register(registry).increment();
                Counter.builder("sightline.ingest.frames.sent.bytes").baseUnit("bytes")
                        .description("Payload bytes of the frames handed to the producer")
                        .tag("camera", camera).register(registry).increment(bytes);
            }

            @Override
            public void acknowledged(String camera, int bytes) {
                Counter.builder("sightline.ingest.frames.acknowledged").description("Frames the cluster acknowledged")
                        .tag("camera", camera).register(registry).increment();
                Counter.builder("sightline.ingest.frames.acknowledged.bytes").baseUnit("bytes")
                        .description("Payload bytes of the frames the cluster acknowledged")
                        .tag("camera", camera).register(registry).increment(bytes);
            }

            @Override
            public void deadLettered(String camera, DeadLetterReason reason) {
                Counter.builder("sightline.ingest.frames.rejected").description("Inputs dead-lettered at ingest")
                        .tag("camera", camera).register(registry).increment();
                Counter.builder("sightline.ingest.dead.letters").description("Dead letters written at ingest")
                        .tag("camera", camera).tag("reason", reason.name()).register(registry).increment();
            }
        };
    }

    /**
     * A live camera's skipped and unsent frames, reconnects and streaming state, read from its report when scraped.
     * Meters hold their source weakly: the ingest itself, which lives as long as the run, is the source.
     */
    static void bind(MeterRegistry registry, String camera, LiveIngest ingest) {
        FunctionCounter.builder("sightline.ingest.frames.skipped", ingest, i -> i.report().skippedStale())
                .description("Frames skipped: a newer frame was waiting (latest frame wins), or over --fps")
                .tag("camera", camera).tag("why", "newer_frame_waiting").register(registry);
        skippedOverFps(registry, camera, ingest, i -> i.report().skippedOverFps());
        FunctionCounter.builder("sightline.ingest.frames.unsent", ingest, i -> i.report().unsent())
                .description("Frames not sent while Kafka was unavailable").tag("camera", camera).register(registry);
        reconnects(registry, camera, ingest, i -> i.report().reconnects());
        Gauge.builder("sightline.ingest.streaming", ingest, i -> i.report().streaming() ? 1 : 0)
                .description("1 while the camera is streaming").tag("camera", camera).register(registry);
    }

    static <T> void reconnects(MeterRegistry registry, String camera, T source, ToDoubleFunction<T> count) {
        FunctionCounter.builder("sightline.ingest.reconnects", source, count)
                .description("Reconnects to the camera (or MQTT broker)").tag("camera", camera).register(registry);
    }

    /** Frames skipped by --fps. */
    static <T> void skippedOverFps(MeterRegistry registry, String camera, T source, ToDoubleFunction<T> count) {
        FunctionCounter.builder("sightline.ingest.frames.skipped", source, count)
                .description("Frames skipped: a newer frame was waiting (latest frame wins), or over --fps")
                .tag("camera", camera).tag("why", "over_fps").register(registry);
    }
}
