package io.sightline.dashboard;

import java.time.Instant;

/**
 * Keys of the events store: camera, capture time, event id. The in-memory store keeps keys in byte order, so one
 * camera's events lie together, oldest first, and a time range is one key range. Times are written as the sign-flipped
 * epoch milliseconds in fixed-width hex, which orders like the times themselves (also before 1970: old photos).
 */
final class EventKey {

    private static final char SEPARATOR = '\u0000';

    private EventKey() {}

    static String of(String cameraId, Instant capturedAt, String eventId) {
        return cameraId + SEPARATOR + time(capturedAt) + SEPARATOR + eventId;
    }

    /** The smallest key of {@code cameraId} at or after {@code from}. */
    static String lowest(String cameraId, Instant from) {
        return cameraId + SEPARATOR + time(from);
    }

    /** A key above every key of {@code cameraId} at or before {@code to}. */
    static String highest(String cameraId, Instant to) {
        return cameraId + SEPARATOR + time(to) + '\u0001';
    }

    static String cameraOf(String key) {
        return key.substring(0, key.indexOf(SEPARATOR));
    }

    private static String time(Instant t) {
        return String.format("%016x", t.toEpochMilli() ^ Long.MIN_VALUE);
    }
}
