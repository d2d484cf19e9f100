package io.sightline.ingest;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sightline.schemas.DeadLetterReason;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What one camera of a camera list did.
 *
 * @param published  frames handed to the sink
 * @param skipped    frames left out (fps limit, newer frame waiting, non-image files)
 * @param rejected   inputs sent to the dead-letter topic
 * @param reconnects times a live stream was opened again after it was lost
 * @param state      disabled, running, streaming, reconnecting, done or failed
 * @param failure    why the camera stopped, when it failed
 */
public record CameraResult(CameraSpec camera, long published, long skipped, long rejected, long reconnects,
        String state, Optional<String> failure) {
    /** One line per running camera: id, frames published, state. */
    public static String progressLine(List<CameraResult> results) {
        return results.stream().filter(r -> r.camera().enabled())
                .map(r -> r.camera().id() + " " + r.published() + " " + r.state())
                .collect(Collectors.joining(", "));
    }

    /** The summary of a run of many cameras, as JSON: totals, dead letters by reason, and one object per camera. */
    public static ObjectNode summaryJson(List<CameraResult> results, Map<DeadLetterReason, Integer> byReason) {
        var summary = JsonNodeFactory.instance.objectNode();
        summary.put("published", results.stream().mapToLong(CameraResult::published).sum())
                .put("skipped", results.stream().mapToLong(CameraResult::skipped).sum())
                .put("rejected", DeadLetterCounts.total(byReason));
        DeadLetterCounts.put(summary, byReason);
        ArrayNode list = summary.putArray("cameras");
        for (CameraResult r : results) {
            var camera = list.addObject().put("id", r.camera().id()).put("kind", r.camera().kind().name()
                    .toLowerCase(Locale.ROOT)).put("state", r.state()).put("published", r.published())
                    .put("skipped", r.skipped()).put("rejected", r.rejected()).put("reconnects", r.reconnects());
            r.camera().pipeline().ifPresent(p -> camera.put("pipeline", p));
            r.failure().ifPresent(f -> camera.put("failure", f));
        }
        return summary;
    }

    /** This camera's summary line for people. */
    public String line() {
        return String.format("camera %s (%s%s): %s; published %d, skipped %d, rejected %d, %d reconnects%s",
                camera().id(), camera().kind().name().toLowerCase(Locale.ROOT),
                camera().pipeline().map(p -> ", pipeline " + p).orElse(""), state(), published(), skipped(),
                rejected(), reconnects(), failure().map(f -> ": " + f).orElse(""));
    }
}
