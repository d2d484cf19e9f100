package io.sightline.dashboard;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sightline.readers.AvroJson;
import io.sightline.schemas.avro.AnnotatedFrame;
import io.sightline.schemas.avro.DetectionEvent;
import io.sightline.schemas.avro.UdfOutputRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KGroupedStream;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.KTable;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.TimestampExtractor;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * The dashboard's own Kafka Streams application, a pure function of its settings: it indexes detection events per
 * camera, keeps the latest annotated frame per camera and the recent ones per event, and counts events and faces per camera in 1-minute and 1-hour
 * windows (also published to the stats topic). Every store is keyed by camera id, the key of the input topics, so no
 * repartitioning is needed and a camera's data lives with one instance.
 */
public final class DashboardTopology {

    static final String EVENTS_STORE = "dashboard-events";
    static final String SNAPSHOTS_STORE = "dashboard-snapshots";
    static final String RECENT_SNAPSHOTS_STORE = "dashboard-recent-snapshots";
    /** Annotated frames kept per camera for the events' snapshot links: the newest this many … */
    static final int SNAPSHOTS_PER_CAMERA = 20;
    /** … stored within this long. */
    static final Duration SNAPSHOT_RETENTION = Duration.ofHours(1);
    static final String MINUTE_STORE = "dashboard-counts-1m";
    static final String HOUR_STORE = "dashboard-counts-1h";
    /** Zone and line counts per camera ({@link ZoneCounts}), from the processor's records on the alerts topic. */
    static final String ZONES_MINUTE_STORE = "dashboard-zones-1m";
    static final String ZONES_HOUR_STORE = "dashboard-zones-1h";
    static final Duration MINUTE = Duration.ofMinutes(1);
    static final Duration HOUR = Duration.ofHours(1);
    /** Late events (by processing time) still counted in their window. */
    private static final Duration GRACE = Duration.ofSeconds(30);
    private static final Duration TRIM_INTERVAL = Duration.ofSeconds(30);

    private DashboardTopology() {}

    public static Topology build(DashboardConfig config, Serde<DetectionEvent> events,
            Deserializer<AnnotatedFrame> annotated, Deserializer<UdfOutputRecord> outputs,
            Properties streamsProperties) {
        var builder = new StreamsBuilder();
        KStream<String, DetectionEvent> detections = builder.stream(config.topics().detections(),
                Consumed.with(Serdes.String(), events).withTimestampExtractor(new ProcessedAtExtractor()));
        KStream<String, DetectionEvent> keyed = detections.filter((camera, event) -> camera != null && event != null);

        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(EVENTS_STORE),
                Serdes.String(), Serdes.String()));
        keyed.process(() -> new EventIndex(config.maxEventsPerCamera()), EVENTS_STORE);

        // Raw record bytes (Confluent wire format): decoded when asked for; the annotated topic doubles as changelog.
        KTable<String, byte[]> latest = builder.table(config.topics().annotated(),
                Consumed.with(Serdes.String(), Serdes.ByteArray()),
                Materialized.<String, byte[]>as(Stores.inMemoryKeyValueStore(SNAPSHOTS_STORE))
                        .withKeySerde(Serdes.String()).withValueSerde(Serdes.ByteArray()));

        // Memory only, no changelog: a second copy of every image in Kafka would outweigh a cache that refills with
        // the next frames after a restart or rebalance.
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(RECENT_SNAPSHOTS_STORE),
                Serdes.String(), Serdes.ByteArray()).withLoggingDisabled());
        latest.toStream()
                .filter((camera, frame) -> camera != null && frame != null)
                .process(() -> new RecentSnapshots(annotated, config.topics().annotated()), RECENT_SNAPSHOTS_STORE);

        KGroupedStream<String, DetectionEvent> byCamera = keyed.groupByKey(Grouped.with(Serdes.String(), events));
        countIn(byCamera, MINUTE, MINUTE_STORE, Duration.ofHours(2), config.statsTopic());
        countIn(byCamera, HOUR, HOUR_STORE, Duration.ofHours(49), config.statsTopic());

        // Windows by the alerts' write time (their topics keep records by it): the same clock as processedAt.
        String alertsTopic = config.alertsTopic();
        KGroupedStream<String, String> zoneCounters = builder.stream(alertsTopic,
                        Consumed.with(Serdes.String(), Serdes.ByteArray()))
                .filter((camera, bytes) -> camera != null && bytes != null)
                .flatMapValues(bytes -> {
                    try {
                        UdfOutputRecord record = outputs.deserialize(alertsTopic, bytes);
                        return ZoneCounts.countersOf(record.getUdf().getName(), record.getPayload().array());
                    } catch (RuntimeException e) {
                        return List.<String>of(); // not an output record: nothing to count
                    }
                })
                .groupByKey(Grouped.with(Serdes.String(), Serdes.String()));
        for (var window : List.of(Map.entry(MINUTE, ZONES_MINUTE_STORE), Map.entry(HOUR, ZONES_HOUR_STORE))) {
            zoneCounters.windowedBy(TimeWindows.ofSizeAndGrace(window.getKey(), GRACE))
                    .aggregate(() -> "", (camera, counter, counts) -> ZoneCounts.add(counts, counter),
                            Materialized.<String, String>as(Stores.inMemoryWindowStore(window.getValue(),
                                    window.getKey().equals(MINUTE) ? Duration.ofHours(2) : Duration.ofHours(49),
                                    window.getKey(), false))
                                    .withKeySerde(Serdes.String()).withValueSerde(Serdes.String()));
        }
        return builder.build(streamsProperties);
    }

    private static void countIn(KGroupedStream<String, DetectionEvent> byCamera, Duration size, String store,
            Duration retention, String statsTopic) {
        var json = new ObjectMapper();
        String window = size.equals(MINUTE) ? "1m" : "1h";
        byCamera.windowedBy(TimeWindows.ofSizeAndGrace(size, GRACE))
                .aggregate(() -> Counts.ZERO, (camera, event, counts) -> counts.add(event),
                        Materialized.<String, Counts>as(Stores.inMemoryWindowStore(store, retention, size, false))
                                .withKeySerde(Serdes.String()).withValueSerde(Counts.serde()))
                .toStream()
                .filter((key, counts) -> counts != null)
                .map((key, counts) -> {
                    ObjectNode stat = json.createObjectNode()
                            .put("cameraId", key.key())
                            .put("window", window)
                            .put("windowStart", key.window().startTime().toString())
                            .put("windowEnd", key.window().endTime().toString())
                            .put("events", counts.events())
                            .put("faces", counts.faces());
                    return KeyValue.pair(key.key(), stat.toString());
                })
                .to(statsTopic, Produced.with(Serdes.String(), Serdes.String()));
    }

    /**
     * Windows are in processing time (the event's processedAt), so "the last minute" means the same for a live
     * camera and for a folder of old photos whose capture times lie decades back.
     */
    static final class ProcessedAtExtractor implements TimestampExtractor {
        @Override
        public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
            if (record.value() instanceof DetectionEvent event && event.getProcessedAt() != null) {
                return event.getProcessedAt().toEpochMilli();
            }
            return record.timestamp() >= 0 ? record.timestamp() : Math.max(partitionTime, 0);
        }
    }

    /** Stores each event as plain JSON under {@link EventKey}; keeps the newest {@code maxPerCamera} per camera. */
    static final class EventIndex implements Processor<String, DetectionEvent, Void, Void> {

        private final int maxPerCamera;
        private KeyValueStore<String, String> store;

        EventIndex(int maxPerCamera) {
            this.maxPerCamera = maxPerCamera;
        }

        @Override
        public void init(ProcessorContext<Void, Void> context) {
            store = context.getStateStore(EVENTS_STORE);
            context.schedule(TRIM_INTERVAL, PunctuationType.WALL_CLOCK_TIME, now -> trim());
        }

        @Override
        public void process(Record<String, DetectionEvent> record) {
            DetectionEvent event = record.value();
            Instant capturedAt = event.getCapturedAt() == null ? Instant.EPOCH : event.getCapturedAt();
            store.put(EventKey.of(record.key(), capturedAt, event.getEventId()), AvroJson.toJson(event).toString());
        }

        private void trim() {
            Map<String, Integer> kept = new HashMap<>();
            List<String> dropped = new ArrayList<>();
            try (KeyValueIterator<String, String> newestFirst = store.reverseAll()) {
                while (newestFirst.hasNext()) {
                    String key = newestFirst.next().key;
                    if (kept.merge(EventKey.cameraOf(key), 1, Integer::sum) > maxPerCamera) {
                        dropped.add(key);
                    }
                }
            }
            dropped.forEach(store::delete);
        }
    }

    /**
     * Keeps each camera's newest {@link #SNAPSHOTS_PER_CAMERA} annotated frames stored within
     * {@link #SNAPSHOT_RETENTION}, under {@link SnapshotKey}, as the raw record bytes (decoded when asked for).
     */
    static final class RecentSnapshots implements Processor<String, byte[], Void, Void> {

        private final Deserializer<AnnotatedFrame> frames;
        private final String topic;
        private ProcessorContext<Void, Void> context;
        private KeyValueStore<String, byte[]> store;

        RecentSnapshots(Deserializer<AnnotatedFrame> frames, String topic) {
            this.frames = frames;
            this.topic = topic;
        }

        @Override
        public void init(ProcessorContext<Void, Void> context) {
            this.context = context;
            store = context.getStateStore(RECENT_SNAPSHOTS_STORE);
            context.schedule(TRIM_INTERVAL, PunctuationType.WALL_CLOCK_TIME, now -> dropOlderThanRetention(now));
        }

        @Override
        public void process(Record<String, byte[]> record) {
            String eventId = frames.deserialize(topic, record.value()).getEventId();
            Instant now = Instant.ofEpochMilli(context.currentSystemTimeMs());
            store.put(SnapshotKey.of(record.key(), now, eventId), record.value());
            keepNewest(record.key());
        }

        private void keepNewest(String camera) {
            List<String> oldestFirst = new ArrayList<>();
            try (KeyValueIterator<String, byte[]> it = store.prefixScan(SnapshotKey.prefix(camera),
                    new StringSerializer())) {
                it.forEachRemaining(entry -> oldestFirst.add(entry.key));
            }
            oldestFirst.subList(0, Math.max(0, oldestFirst.size() - SNAPSHOTS_PER_CAMERA)).forEach(store::delete);
        }

        private void dropOlderThanRetention(long nowMillis) {
            Instant oldest = Instant.ofEpochMilli(nowMillis).minus(SNAPSHOT_RETENTION);
            List<String> dropped = new ArrayList<>();
            try (KeyValueIterator<String, byte[]> all = store.all()) {
                all.forEachRemaining(entry -> {
                    if (SnapshotKey.storedAtOf(entry.key).isBefore(oldest)) {
                        dropped.add(entry.key);
                    }
                });
            }
            dropped.forEach(store::delete);
        }
    }
}
