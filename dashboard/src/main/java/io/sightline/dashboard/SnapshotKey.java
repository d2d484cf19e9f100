package io.sightline.dashboard;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * Keys of the recent-snapshots store: camera, the time the frame was stored, event id. One camera's snapshots lie
 * together, oldest first (times in fixed-width hex), so trimming to the newest N is one prefix scan.
 */
final class SnapshotKey {

    private static final char SEPARATOR = '\u0000';

    private SnapshotKey() {}

    static String of(String cameraId, Instant storedAt, String eventId) {
        return prefix(cameraId) + String.format("%016x", storedAt.toEpochMilli()) + SEPARATOR + eventId;
    }

    /** Every key of {@code cameraId} starts with this. */
    static String prefix(String cameraId) {
        return cameraId + SEPARATOR;
    }

    static String cameraOf(String key) {
        return key.substring(0, key.indexOf(SEPARATOR));
    }

    static Instant storedAtOf(String key) {
        int start = key.indexOf(SEPARATOR) + 1;
        return Instant.ofEpochMilli(Long.parseUnsignedLong(key.substring(start, start + 16), 16));
    }

    static String eventIdOf(String key) {
        return key.substring(key.indexOf(SEPARATOR, key.indexOf(SEPARATOR) + 1) + 1);
    }

    /** Where the annotated image of an event is served. */
    static String url(String cameraId, String eventId) {
        return "/api/cameras/" + encode(cameraId) + "/snapshots/" + encode(eventId);
    }

    /**
     * Adds {@code snapshotUrl} to an event as plain JSON: null when the processor sent no image for it (the UDF drew
     * none, or it could not fit in a record).
     */
    static ObjectNode withUrl(ObjectNode event) {
        String status = event.path("annotated").asText("FULL");
        if (status.equals("NONE") || status.equals("OMITTED")) {
            event.putNull("snapshotUrl");
        } else {
            event.put("snapshotUrl", url(event.path("cameraId").asText(), event.path("eventId").asText()));
        }
        return event;
    }

    static String encode(String id) {
        return URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
