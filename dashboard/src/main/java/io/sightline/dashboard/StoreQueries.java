package io.sightline.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sightline.schemas.avro.AnnotatedFrame;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/** Reads of this instance's own partitions of the dashboard's state stores (interactive queries, local only). */
final class StoreQueries {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final KafkaStreams streams;
    private final Deserializer<AnnotatedFrame> annotated;
    private final String annotatedTopic;

    StoreQueries(KafkaStreams streams, Deserializer<AnnotatedFrame> annotated, String annotatedTopic) {
        this.streams = streams;
        this.annotated = annotated;
        this.annotatedTopic = annotatedTopic;
    }

    /** One camera's events captured in [from, to], newest first. */
    List<JsonNode> events(String cameraId, Instant from, Instant to, int limit) {
        List<JsonNode> found = new ArrayList<>();
        try (KeyValueIterator<String, String> newestFirst = eventsStore().reverseRange(
                EventKey.lowest(cameraId, from), EventKey.highest(cameraId, to))) {
            while (newestFirst.hasNext() && found.size() < limit) {
                found.add(SnapshotKey.withUrl(parse(newestFirst.next().value)));
            }
        }
        return found;
    }

    /** Events of every camera on this instance captured in [from, to], newest first. */
    List<JsonNode> allEvents(Instant from, Instant to, int limit) {
        List<JsonNode> found = new ArrayList<>();
        try (KeyValueIterator<String, String> all = eventsStore().all()) {
            while (all.hasNext()) {
                ObjectNode event = SnapshotKey.withUrl(parse(all.next().value));
                Instant capturedAt = Instant.parse(event.get("capturedAt").asText());
                if (!capturedAt.isBefore(from) && !capturedAt.isAfter(to)) {
                    found.add(event);
                }
            }
        }
        return newestFirst(found, limit);
    }

    static List<JsonNode> newestFirst(List<JsonNode> events, int limit) {
        return events.stream()
                .sorted(Comparator.comparing((JsonNode e) -> Instant.parse(e.get("capturedAt").asText()))
                        .thenComparing(e -> e.get("processedAt").asText()).reversed())
                .limit(limit)
                .toList();
    }

    Optional<AnnotatedFrame> snapshot(String cameraId) {
        byte[] value = snapshotsStore().get(cameraId);
        return value == null ? Optional.empty() : Optional.of(annotated.deserialize(annotatedTopic, value));
    }

    /**
     * The annotated frame of one event, while it is among the camera's recent snapshots (or is still its latest).
     */
    Optional<AnnotatedFrame> snapshot(String cameraId, String eventId) {
        try (KeyValueIterator<String, byte[]> recent = recentSnapshotsStore().prefixScan(
                SnapshotKey.prefix(cameraId), new StringSerializer())) {
            while (recent.hasNext()) {
                KeyValue<String, byte[]> entry = recent.next();
                if (SnapshotKey.eventIdOf(entry.key).equals(eventId)) {
                    return Optional.of(annotated.deserialize(annotatedTopic, entry.value));
                }
            }
        }
        return snapshot(cameraId).filter(latest -> latest.getEventId().equals(eventId));
    }

    /** The latest annotated frame of every camera on this instance, without the image bytes. */
    List<ObjectNode> cameras() {
        List<ObjectNode> cameras = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> all = snapshotsStore().all()) {
            while (all.hasNext()) {
                KeyValue<String, byte[]> entry = all.next();
                if (entry.value != null) {
                    cameras.add(LiveView.snapshotInfo(annotated.deserialize(annotatedTopic, entry.value)));
                }
            }
        }
        return cameras;
    }

    /**
     * Counts of one camera: the current 1-minute and 1-hour windows, every 1-minute window of the last hour (oldest
     * first) and their sum, all by processing time.
     */
    ObjectNode counts(String cameraId, Instant now) {
        ObjectNode result = JSON.objectNode().put("cameraId", cameraId).put("at", now.toString());
        ArrayNode perMinute = result.putArray("perMinute");
        Counts lastHour = Counts.ZERO;
        Counts minute = Counts.ZERO;
        Instant minuteStart = windowStart(now, DashboardTopology.MINUTE.toMillis());
        try (WindowStoreIterator<Counts> windows = countsStore(DashboardTopology.MINUTE_STORE)
                .fetch(cameraId, now.minus(DashboardTopology.HOUR).plus(DashboardTopology.MINUTE), now)) {
            while (windows.hasNext()) {
                KeyValue<Long, Counts> window = windows.next();
                perMinute.add(window(Instant.ofEpochMilli(window.key), window.value));
                lastHour = lastHour.plus(window.value);
                if (window.key == minuteStart.toEpochMilli()) {
                    minute = window.value;
                }
            }
        }
        Instant hourStart = windowStart(now, DashboardTopology.HOUR.toMillis());
        Counts hour = countsStore(DashboardTopology.HOUR_STORE).fetch(cameraId, hourStart.toEpochMilli());
        result.set("minute", window(minuteStart, minute));
        result.set("hour", window(hourStart, hour == null ? Counts.ZERO : hour));
        result.set("lastHour", JSON.objectNode().put("events", lastHour.events()).put("faces", lastHour.faces()));
        return result;
    }

    /**
     * Zone and line counts of one camera: the current 1-minute and 1-hour windows and the last hour (the sum of its
     * 1-minute windows), each name → what → count.
     */
    ObjectNode zoneCounts(String cameraId, Instant now) {
        ObjectNode result = JSON.objectNode().put("cameraId", cameraId).put("at", now.toString());
        Instant minuteStart = windowStart(now, DashboardTopology.MINUTE.toMillis());
        Instant hourStart = windowStart(now, DashboardTopology.HOUR.toMillis());
        List<String> lastHour = new ArrayList<>();
        String minute = null;
        try (WindowStoreIterator<String> windows = zonesStore(DashboardTopology.ZONES_MINUTE_STORE)
                .fetch(cameraId, now.minus(DashboardTopology.HOUR).plus(DashboardTopology.MINUTE), now)) {
            while (windows.hasNext()) {
                KeyValue<Long, String> window = windows.next();
                lastHour.add(window.value);
                if (window.key == minuteStart.toEpochMilli()) {
                    minute = window.value;
                }
            }
        }
        String hour = zonesStore(DashboardTopology.ZONES_HOUR_STORE).fetch(cameraId, hourStart.toEpochMilli());
        result.putObject("minute").put("windowStart", minuteStart.toString())
                .set("counts", ZoneCounts.sum(minute == null ? List.of() : List.of(minute)));
        result.putObject("hour").put("windowStart", hourStart.toString())
                .set("counts", ZoneCounts.sum(hour == null ? List.of() : List.of(hour)));
        result.set("lastHour", ZoneCounts.sum(lastHour));
        return result;
    }

    private ReadOnlyWindowStore<String, String> zonesStore(String name) {
        return streams.store(StoreQueryParameters.fromNameAndType(name, QueryableStoreTypes.windowStore()));
    }

    /** Cameras with counts on this instance (those whose detections partitions it owns). */
    List<String> countedCameras(Instant now) {
        List<String> cameras = new ArrayList<>();
        try (KeyValueIterator<Windowed<String>, Counts> all = countsStore(DashboardTopology.HOUR_STORE)
                .fetchAll(now.minus(DashboardTopology.HOUR.multipliedBy(48)), now)) {
            all.forEachRemaining(entry -> {
                if (!cameras.contains(entry.key.key())) {
                    cameras.add(entry.key.key());
                }
            });
        }
        return cameras;
    }

    private static ObjectNode window(Instant start, Counts counts) {
        return JSON.objectNode().put("windowStart", start.toString())
                .put("events", counts.events()).put("faces", counts.faces());
    }

    private static Instant windowStart(Instant t, long sizeMillis) {
        return Instant.ofEpochMilli(Math.floorDiv(t.toEpochMilli(), sizeMillis) * sizeMillis);
    }

    private ReadOnlyKeyValueStore<String, String> eventsStore() {
        return streams.store(StoreQueryParameters.fromNameAndType(DashboardTopology.EVENTS_STORE,
                QueryableStoreTypes.keyValueStore()));
    }

    private ReadOnlyKeyValueStore<String, byte[]> snapshotsStore() {
        return streams.store(StoreQueryParameters.fromNameAndType(DashboardTopology.SNAPSHOTS_STORE,
                QueryableStoreTypes.keyValueStore()));
    }

    private ReadOnlyKeyValueStore<String, byte[]> recentSnapshotsStore() {
        return streams.store(StoreQueryParameters.fromNameAndType(DashboardTopology.RECENT_SNAPSHOTS_STORE,
                QueryableStoreTypes.keyValueStore()));
    }

    private ReadOnlyWindowStore<String, Counts> countsStore(String name) {
        return streams.store(StoreQueryParameters.fromNameAndType(name, QueryableStoreTypes.windowStore()));
    }

    private static ObjectNode parse(String json) {
        try {
            return (ObjectNode) MAPPER.readTree(json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
