package io.sightline.dashboard;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sightline.metrics.DashboardMeters;
import io.sightline.readers.AvroJson;
import io.sightline.readers.OutputCollector;
import io.sightline.schemas.DeadLetterStage;
import io.sightline.schemas.SchemaRegistryClient;
import io.sightline.schemas.Topics;
import io.sightline.schemas.avro.AnnotatedFrame;
import io.sightline.schemas.avro.DeadLetter;
import io.sightline.schemas.avro.DetectionEvent;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * What the page shows live, from the newest records of every partition of detections, annotated, dlq and the alerts
 * topic (see {@link io.sightline.readers.TopicTail}): the latest events across cameras, recent alerts, dead letters
 * by reason and the processing rate. Every record it reads is also pushed to the page as a Server-Sent Event through
 * {@code publish} (event name, JSON).
 */
final class LiveView {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final int RECENT_EVENTS = 200;
    private static final int RECENT_ALERTS = 100;
    private static final Duration RATE_WINDOW = Duration.ofSeconds(10);

    private final Topics topics;
    private final String alertsTopic;
    private final OutputCollector.Decoders decoders;
    private final SchemaRegistryClient registry;
    private final BiConsumer<String, ObjectNode> publish;
    private final DashboardMeters metrics;
    private final Clock clock;

    private final Deque<ObjectNode> recentEvents = new ArrayDeque<>();
    private final Deque<ObjectNode> recentAlerts = new ArrayDeque<>();
    private final Deque<Instant> processed = new ArrayDeque<>();
    private final Map<String, Integer> deadLettersByReason = new TreeMap<>();
    private final Set<String> cameras = ConcurrentHashMap.newKeySet();

    LiveView(Topics topics, String alertsTopic, OutputCollector.Decoders decoders, SchemaRegistryClient registry,
            DashboardMeters metrics, Clock clock, BiConsumer<String, ObjectNode> publish) {
        this.topics = topics;
        this.alertsTopic = alertsTopic;
        this.decoders = decoders;
        this.registry = registry;
        this.metrics = metrics;
        this.clock = clock;
        this.publish = publish;
    }

    /** Called by the tail's thread for each record. */
    void accept(ConsumerRecord<byte[], byte[]> record) {
        if (record.value() == null) {
            return;
        }
        String topic = record.topic();
        if (topic.equals(topics.detections())) {
            onEvent(decoders.events().deserialize(topic, record.headers(), record.value()));
        } else if (topic.equals(topics.annotated())) {
            onAnnotated(decoders.annotated().deserialize(topic, record.headers(), record.value()));
        } else if (topic.equals(topics.deadLetters())) {
            onDeadLetter(decoders.deadLetters().deserialize(topic, record.headers(), record.value()));
        } else if (topic.equals(alertsTopic)) {
            onAlert(record);
        }
    }

    private void onEvent(DetectionEvent event) {
        ObjectNode json = SnapshotKey.withUrl(AvroJson.toJson(event));
        cameras.add(event.getCameraId());
        synchronized (this) {
            recentEvents.addFirst(json);
            while (recentEvents.size() > RECENT_EVENTS) {
                recentEvents.removeLast();
            }
            countProcessed(event.getProcessedAt());
        }
        publish.accept("detection", json);
        metrics.recordEvent(event);
    }

    private void onAnnotated(AnnotatedFrame frame) {
        cameras.add(frame.getCameraId());
        publish.accept("snapshot", snapshotInfo(frame));
    }

    private void onDeadLetter(DeadLetter letter) {
        synchronized (this) {
            deadLettersByReason.merge(letter.getReasonCode(), 1, Integer::sum);
            if (!DeadLetterStage.INGEST.is(letter.getStage())) {
                countProcessed(letter.getFailedAt());
            }
        }
        publish.accept("deadletter", JSON.objectNode()
                .put("reasonCode", letter.getReasonCode())
                .put("stage", letter.getStage())
                .put("message", letter.getMessage())
                .put("cameraId", letter.getCameraId())
                .put("frameId", letter.getFrameId())
                .put("failedAt", letter.getFailedAt().toString()));
        metrics.recordDeadLetter(letter);
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON_READER =
            new com.fasterxml.jackson.databind.ObjectMapper();

    private void onAlert(ConsumerRecord<byte[], byte[]> record) {
        ObjectNode alert = JSON.objectNode()
                .put("topic", record.topic())
                .put("key", record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8))
                .put("timestamp", Instant.ofEpochMilli(record.timestamp()).toString());
        alert.set("value", alertValue(record.value()));
        synchronized (this) {
            recentAlerts.addFirst(alert);
            while (recentAlerts.size() > RECENT_ALERTS) {
                recentAlerts.removeLast();
            }
        }
        publish.accept("alert", alert);
    }

    /**
     * A user output's value in the most readable form: an Avro record in Confluent wire format as JSON (schema from
     * the registry), else UTF-8 text (JSON stays JSON), else its size.
     */
    private com.fasterxml.jackson.databind.JsonNode alertValue(byte[] value) {
        if (value.length > 5 && value[0] == 0) {
            try {
                Schema schema = registry.schemaById(ByteBuffer.wrap(value, 1, 4).getInt());
                var decoder = DecoderFactory.get().binaryDecoder(value, 5, value.length - 5, null);
                Object datum = new GenericDatumReader<>(schema).read(null, decoder);
                if (datum instanceof GenericRecord r) {
                    ObjectNode json = AvroJson.toJson(r);
                    // An output record carrying JSON (an alert): its payload too, readable.
                    if (r.hasField("payload") && r.get("payload") instanceof ByteBuffer payload
                            && "application/json".equals(String.valueOf(r.get("contentType")))) {
                        try {
                            byte[] bytes = new byte[payload.remaining()];
                            payload.duplicate().get(bytes);
                            json.set("json", JSON_READER.readTree(bytes));
                        } catch (java.io.IOException notJson) {
                            // keep the size only
                        }
                    }
                    return json;
                }
                return JSON.textNode(String.valueOf(datum));
            } catch (Exception e) {
                // not Avro after all: fall through
            }
        }
        try {
            String text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(value)).toString();
            try {
                return new com.fasterxml.jackson.databind.ObjectMapper().readTree(text);
            } catch (Exception notJson) {
                return JSON.textNode(text);
            }
        } catch (CharacterCodingException e) {
            return JSON.objectNode().put("bytes", value.length);
        }
    }

    static ObjectNode snapshotInfo(AnnotatedFrame frame) {
        return JSON.objectNode()
                .put("cameraId", frame.getCameraId())
                .put("frameId", frame.getFrameId())
                .put("eventId", frame.getEventId())
                .put("capturedAt", frame.getCapturedAt().toString())
                .put("encoding", frame.getEncoding().name())
                .put("width", frame.getWidth())
                .put("height", frame.getHeight())
                .put("bytes", frame.getImage().remaining())
                .put("clockSkew", frame.getClockSkew());
    }

    private void countProcessed(Instant at) {
        if (at != null) {
            processed.addLast(at);
        }
        dropOldRates();
    }

    private void dropOldRates() {
        Instant since = clock.instant().minus(RATE_WINDOW);
        processed.removeIf(t -> t.isBefore(since));
    }

    synchronized ArrayNode recentEvents(int limit) {
        ArrayNode array = JSON.arrayNode();
        recentEvents.stream().limit(limit).forEach(array::add);
        return array;
    }

    synchronized ArrayNode recentAlerts() {
        ArrayNode array = JSON.arrayNode();
        recentAlerts.forEach(array::add);
        return array;
    }

    /** Frames processed (events and processing dead letters) per second over the last ten seconds. */
    synchronized double framesPerSecond() {
        dropOldRates();
        return processed.size() / (double) RATE_WINDOW.toSeconds();
    }

    synchronized Map<String, Integer> deadLettersByReason() {
        return new TreeMap<>(deadLettersByReason);
    }

    Set<String> cameras() {
        return new TreeSet<>(cameras);
    }
}
