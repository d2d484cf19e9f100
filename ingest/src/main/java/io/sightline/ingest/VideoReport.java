package io.sightline.ingest;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sightline.schemas.DeadLetterReason;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * What one pass over a video file did.
 *
 * @param decoded   pictures FFmpeg decoded
 * @param published frames handed to the sink
 * @param skipped   pictures left out by the fps limit (or not later than the one before)
 * @param rejected  frames too large, plus the file itself when it could not be opened or its decoding broke off
 * @param failure   why the file was rejected, when it was
 */
public record VideoReport(long decoded, long published, long skipped, long rejected, Optional<String> failure) {

    /**
     * The summary of a run, as JSON.
     *
     * @param acknowledged frames the cluster acknowledged: what counts as published
     */
    public ObjectNode summaryJson(String camera, Path file, long acknowledged, Map<DeadLetterReason, Integer> byReason) {
        var json = JsonNodeFactory.instance.objectNode().put("camera", camera).put("file", file.toString())
                .put("decoded", decoded).put("published", acknowledged).put("skipped", skipped)
                .put("rejected", DeadLetterCounts.total(byReason));
        DeadLetterCounts.put(json, byReason);
        failure.ifPresent(why -> json.put("failure", why));
        return json;
    }

    /** The summary of a run, as one line for people. */
    public String summaryLine(String camera, Path file, String framesTopic, String deadLetterTopic, long acknowledged,
            Map<DeadLetterReason, Integer> byReason) {
        return String.format("camera %s: published %d frames of %s to %s; %d decoded, %d skipped by --fps; rejected %d "
                + "%s to %s", camera, acknowledged, file, framesTopic, decoded, skipped,
                DeadLetterCounts.total(byReason), byReason, deadLetterTopic);
    }
}
