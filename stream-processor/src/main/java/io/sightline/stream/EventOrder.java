package io.sightline.stream;

import io.sightline.schemas.avro.DetectionEvent;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts a camera's events back in the order of its frames. Frames that were spread ({@link FrameRouter}) are detected
 * on any thread, so their events come back here, keyed by camera, in whatever order the threads finished; each
 * carries its frame's number in the camera's sequence. An event is published when every event before it has been;
 * one that arrives early waits in a changelogged store (it survives a move of the partition to another instance).
 * A frame that became a dead letter sends an empty value in its place, so nothing waits for it.
 *
 * <p>Should an earlier frame's event not come within the order timeout (its partition moving to another instance
 * after a crash, say), the waiting events are published without it; when it does come it is published at once,
 * flagged {@code late}. An event whose record carries no number (a frame run in place) passes straight through.
 */
final class EventOrder implements Processor<String, DetectionEvent, String, DetectionEvent> {

    static final String STORE = "event-order";

    private static final Logger LOG = LoggerFactory.getLogger(EventOrder.class);
    /** Store keys: the next number of a camera; an event waiting, by camera and number. */
    private static final String NEXT = "n/";
    private static final String WAITING = "w/";

    private final Serde<DetectionEvent> events;
    private final String eventsTopic;
    private final Duration timeout;
    private final Map<String, Camera> cameras = new HashMap<>();
    private ProcessorContext<String, DetectionEvent> context;
    private KeyValueStore<String, byte[]> store;

    /** One camera's next number and the events waiting for it, by number: the store's content, in memory. */
    private static final class Camera {
        long next;
        final TreeMap<Long, Waiting> waiting = new TreeMap<>();
    }

    /** An event that came early: when it came (wall clock), its record's timestamp, its bytes (null: a dead letter). */
    private record Waiting(long arrivedMs, long timestamp, byte[] event) {

        byte[] encode() {
            int length = event == null ? 0 : event.length;
            return ByteBuffer.allocate(2 * Long.BYTES + length).putLong(arrivedMs).putLong(timestamp)
                    .put(event == null ? new byte[0] : event).array();
        }

        static Waiting decode(byte[] bytes) {
            var buffer = ByteBuffer.wrap(bytes);
            long arrived = buffer.getLong();
            long timestamp = buffer.getLong();
            byte[] event = bytes.length == 2 * Long.BYTES ? null : Arrays.copyOfRange(bytes, 2 * Long.BYTES, bytes.length);
            return new Waiting(arrived, timestamp, event);
        }
    }

    /**
     * @param events      (de)serializes events kept waiting in the store
     * @param eventsTopic the topic name given to {@code events}, for its schema subject
     */
    EventOrder(Serde<DetectionEvent> events, String eventsTopic, Duration timeout) {
        this.events = events;
        this.eventsTopic = eventsTopic;
        this.timeout = timeout;
    }

    @Override
    public void init(ProcessorContext<String, DetectionEvent> context) {
        this.context = context;
        this.store = context.getStateStore(STORE);
        try (KeyValueIterator<String, byte[]> all = store.all()) {
            while (all.hasNext()) {
                KeyValue<String, byte[]> entry = all.next();
                if (entry.key.startsWith(NEXT)) {
                    camera(entry.key.substring(NEXT.length())).next = ByteBuffer.wrap(entry.value).getLong();
                } else if (entry.key.startsWith(WAITING)) {
                    int dot = entry.key.lastIndexOf('/');
                    camera(entry.key.substring(WAITING.length(), dot)).waiting
                            .put(Long.parseLong(entry.key.substring(dot + 1)), Waiting.decode(entry.value));
                }
            }
        }
        long every = Math.max(100, Math.min(1000, timeout.toMillis() / 4));
        context.schedule(Duration.ofMillis(every), PunctuationType.WALL_CLOCK_TIME, this::releaseOverdue);
    }

    private Camera camera(String id) {
        return cameras.computeIfAbsent(id, ignored -> new Camera());
    }

    @Override
    public void process(Record<String, DetectionEvent> record) {
        OptionalLong number = RecordOrigin.sequence(record.headers());
        if (number.isEmpty() || record.key() == null) {
            if (record.value() != null) {
                context.forward(record.withHeaders(RecordOrigin.strip(record.headers())));
            }
            return;
        }
        String id = record.key();
        Camera camera = camera(id);
        long sequence = number.getAsLong();
        if (sequence < camera.next) {
            // Its successors were published without it, or it is a repeat after a crash (at least once).
            if (record.value() != null) {
                DetectionEvent event = record.value();
                event.setLate(true);
                publish(id, event, record.timestamp());
            }
            return;
        }
        if (sequence == camera.next && camera.waiting.isEmpty()) {
            if (record.value() != null) {
                publish(id, record.value(), record.timestamp());
            }
            advance(id, camera, sequence + 1);
            return;
        }
        byte[] bytes = record.value() == null ? null : events.serializer().serialize(eventsTopic, record.value());
        Waiting waiting = new Waiting(context.currentSystemTimeMs(), record.timestamp(), bytes);
        camera.waiting.put(sequence, waiting);
        store.put(waitingKey(id, sequence), waiting.encode());
        releaseInOrder(id, camera);
    }

    /** Publishes the waiting events that are next in line. */
    private void releaseInOrder(String id, Camera camera) {
        long next = camera.next;
        while (!camera.waiting.isEmpty() && camera.waiting.firstKey() == next) {
            release(id, camera, next);
            next++;
        }
        advance(id, camera, next);
    }

    /** Cameras whose oldest waiting event has waited longer than the timeout go on without the missing ones. */
    private void releaseOverdue(long now) {
        for (Map.Entry<String, Camera> entry : cameras.entrySet()) {
            Camera camera = entry.getValue();
            if (camera.waiting.isEmpty()) {
                continue;
            }
            long oldest = camera.waiting.values().stream().mapToLong(Waiting::arrivedMs).min().orElse(now);
            if (now - oldest < timeout.toMillis()) {
                continue;
            }
            long first = camera.waiting.firstKey();
            LOG.warn(String.format(Locale.ROOT, "camera %s: frames %d to %d have no event after %d s; publishing the "
                    + "%d event(s) after them, and theirs flagged late when they come", entry.getKey(), camera.next,
                    first - 1, timeout.toSeconds(), camera.waiting.size()));
            camera.next = first;
            releaseInOrder(entry.getKey(), camera);
        }
    }

    private void release(String id, Camera camera, long sequence) {
        Waiting waiting = camera.waiting.remove(sequence);
        store.delete(waitingKey(id, sequence));
        if (waiting.event() != null) {
            publish(id, events.deserializer().deserialize(eventsTopic, waiting.event()), waiting.timestamp());
        }
    }

    private void advance(String id, Camera camera, long next) {
        camera.next = next;
        store.put(NEXT + id, ByteBuffer.allocate(Long.BYTES).putLong(next).array());
    }

    private void publish(String camera, DetectionEvent event, long timestamp) {
        context.forward(new Record<>(camera, event, timestamp));
    }

    /** Zero-padded, so a camera's waiting events sort by number in the store too. */
    private static String waitingKey(String camera, long sequence) {
        return String.format(Locale.ROOT, "%s%s/%019d", WAITING, camera, sequence);
    }
}
