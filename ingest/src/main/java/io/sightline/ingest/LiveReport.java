package io.sightline.ingest;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sightline.schemas.DeadLetterReason;
import java.time.Duration;
import java.util.Map;

/**
 * What a live source did so far.
 *
 * @param published      frames handed to the sink
 * @param unsent         frames the sink could not take because Kafka or the registry was unavailable
 * @param skippedStale   frames replaced by a newer one while the sink was busy (latest frame wins)
 * @param skippedOverFps frames dropped by the fps limit
 * @param rejected       parts sent to the dead-letter topic, by reason
 * @param reconnects     times the stream was opened again after it was lost
 * @param gap            time without frames while the stream was lost
 * @param streaming      whether frames are coming in now
 */
public record LiveReport(long published, long unsent, long skippedStale, long skippedOverFps,
        Map<DeadLetterReason, Long> rejected, long reconnects, Duration gap, boolean streaming) {

    public LiveReport {
        rejected = Map.copyOf(rejected);
    }

    public long skipped() {
        return skippedStale + skippedOverFps;
    }

    public long rejectedTotal() {
        return rejected.values().stream().mapToLong(Long::longValue).sum();
    }

    /** The progress line of a camera running for {@code seconds}. */
    public String progressLine(String camera, double seconds) {
        return String.format("%s: %d published, %d skipped, %d rejected, %.1f frames/s, %s", camera, published(),
                skipped(), rejectedTotal(), published() / seconds,
                streaming() ? "streaming" : "reconnecting (" + reconnects() + " reconnects so far)");
    }

    /**
     * The summary of a run, as JSON.
     *
     * @param acknowledged frames the cluster acknowledged: what counts as published
     * @param byReason     dead letters written at ingest
     */
    public ObjectNode summaryJson(String camera, String url, long acknowledged, Map<DeadLetterReason, Integer> byReason,
            double seconds) {
        var summary = JsonNodeFactory.instance.objectNode().put("camera", camera).put("url", url)
                .put("published", acknowledged).put("skipped", skipped())
                .put("skippedStale", skippedStale()).put("skippedOverFps", skippedOverFps())
                .put("rejected", DeadLetterCounts.total(byReason)).put("unsent", unsent());
        DeadLetterCounts.put(summary, byReason);
        return summary.put("reconnects", reconnects())
                .put("gapSeconds", gap().toMillis() / 1000.0)
                .put("seconds", Math.round(seconds * 1000) / 1000.0)
                .put("framesPerSecond", Math.round(acknowledged / seconds * 100) / 100.0);
    }

    /** The summary of a run, as one line for people. */
    public String summaryLine(String camera, String framesTopic, String deadLetterTopic, long acknowledged,
            Map<DeadLetterReason, Integer> byReason, double seconds) {
        return String.format("camera %s: published %d frames to %s in %.1f s (%.1f frames/s); skipped %d (%d newer "
                        + "frame waiting, %d over --fps); rejected %d %s to %s; %d unsent while Kafka was unavailable; "
                        + "%d reconnects, %.1f s without frames",
                camera, acknowledged, framesTopic, seconds, acknowledged / seconds, skipped(), skippedStale(),
                skippedOverFps(), DeadLetterCounts.total(byReason), byReason, deadLetterTopic, unsent(),
                reconnects(), gap().toMillis() / 1000.0);
    }
}
