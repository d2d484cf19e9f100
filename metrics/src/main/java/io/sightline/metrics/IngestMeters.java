package io.sightline.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.ToDoubleFunction;

/**
 * Prometheus meters of the ingest commands, per camera: what the Kafka sink sends (frames, bytes, dead letters by
 * reason), and a live camera's own state (skipped frames, unsent frames, reconnects, streaming). Counts a source
 * keeps itself are read from it when scraped; meters hold their source weakly, so the source must live as long as
 * the run (the ingest itself does).
 */
public final class IngestMeters {

    private final MeterRegistry registry;

    public IngestMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    /** A frame of {@code bytes} payload bytes was handed to the producer. */
    public void sent(String camera, int bytes) {
        Counter.builder("sightline.ingest.frames.sent").description("Frames handed to the producer")
                .tag("camera", camera).register(registry).increment();
        Counter.builder("sightline.ingest.frames.sent.bytes").baseUnit("bytes")
                .description("Payload bytes of the frames handed to the producer")
                .tag("camera", camera).register(registry).increment(bytes);
    }

    /** The cluster acknowledged a frame. */
    public void acknowledged(String camera, int bytes) {
        Counter.builder("sightline.ingest.frames.acknowledged").description("Frames the cluster acknowledged")
                .tag("camera", camera).register(registry).increment();
        Counter.builder("sightline.ingest.frames.acknowledged.bytes").baseUnit("bytes")
                .description("Payload bytes of the frames the cluster acknowledged")
                .tag("camera", camera).register(registry).increment(bytes);
    }

    /** An input went to the dead-letter topic at ingest. */
    public void deadLettered(String camera, String reason) {
        Counter.builder("sightline.ingest.frames.rejected").description("Inputs dead-lettered at ingest")
                .tag("camera", camera).register(registry).increment();
        Counter.builder("sightline.ingest.dead.letters").description("Dead letters written at ingest")
                .tag("camera", camera).tag("reason", reason).register(registry).increment();
    }

    /** Frames skipped because a newer one was waiting (latest frame wins). */
    public <T> void skippedStale(String camera, T source, ToDoubleFunction<T> count) {
        skipped(camera, "newer_frame_waiting", source, count);
    }

    /** Frames skipped by --fps. */
    public <T> void skippedOverFps(String camera, T source, ToDoubleFunction<T> count) {
        skipped(camera, "over_fps", source, count);
    }

    /** Frames not sent while Kafka was unavailable. */
    public <T> void unsent(String camera, T source, ToDoubleFunction<T> count) {
        FunctionCounter.builder("sightline.ingest.frames.unsent", source, count)
                .description("Frames not sent while Kafka was unavailable").tag("camera", camera).register(registry);
    }

    /** Reconnects to the camera (or MQTT broker). */
    public <T> void reconnects(String camera, T source, ToDoubleFunction<T> count) {
        FunctionCounter.builder("sightline.ingest.reconnects", source, count)
                .description("Reconnects to the camera (or MQTT broker)").tag("camera", camera).register(registry);
    }

    /** 1 while the camera is streaming. */
    public <T> void streaming(String camera, T source, ToDoubleFunction<T> oneWhileStreaming) {
        Gauge.builder("sightline.ingest.streaming", source, oneWhileStreaming)
                .description("1 while the camera is streaming").tag("camera", camera).register(registry);
    }

    private <T> void skipped(String camera, String why, T source, ToDoubleFunction<T> count) {
        FunctionCounter.builder("sightline.ingest.frames.skipped", source, count)
                .description("Frames skipped: a newer frame was waiting (latest frame wins), or over --fps")
                .tag("camera", camera).tag("why", why).register(registry);
    }
}
