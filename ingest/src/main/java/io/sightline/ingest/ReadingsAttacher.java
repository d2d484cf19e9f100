package io.sightline.ingest;

import io.sightline.schemas.avro.CameraReadings;
import io.sightline.schemas.avro.Frame;
import io.sightline.schemas.avro.Reading;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Attaches sensor readings to the frame of the same camera nearest to them in time, within a window; readings with no
 * frame that near are published on their own. To know which frame is nearest, each camera's newest frame is held
 * until a newer one arrives or the window has passed (so frames leave up to one window late), and readings without a
 * frame yet wait up to the window for one. Memory stays bounded: one frame and at most
 * {@value #MAX_WAITING_MESSAGES} reading messages per camera. Not thread-safe: callers synchronize.
 */
final class ReadingsAttacher {

    static final int MAX_WAITING_MESSAGES = 256;

    private final Duration window;
    private final Consumer<Frame> frames;
    private final Consumer<CameraReadings> alone;
    private final Map<String, Camera> cameras = new HashMap<>();
    private long attached;
    private long publishedAlone;

    /** A message of readings: all taken at the same time. */
    record Message(String cameraId, Instant at, List<Reading> readings, String source) {}

    private static final class Camera {
        Frame held;
        final List<Message> attachedToHeld = new ArrayList<>();
        final Deque<Message> waiting = new ArrayDeque<>();
    }

    ReadingsAttacher(Duration window, Consumer<Frame> frames, Consumer<CameraReadings> alone) {
        if (window.isNegative()) {
            throw new IllegalArgumentException("attach window must be 0 or more, got " + window);
        }
        this.window = window;
        this.frames = frames;
        this.alone = alone;
    }

    void frame(Frame frame) {
        Camera camera = cameras.computeIfAbsent(frame.getCameraId(), id -> new Camera());
        List<Message> forNew = new ArrayList<>();
        if (camera.held != null) {
            Instant middle = middle(camera.held.getCapturedAt(), frame.getCapturedAt());
            for (Iterator<Message> it = camera.attachedToHeld.iterator(); it.hasNext(); ) {
                Message m = it.next();
                if (m.at().isAfter(middle) && within(m.at(), frame.getCapturedAt())) {
                    forNew.add(m);
                    it.remove();
                }
            }
            release(camera);
        }
        while (!camera.waiting.isEmpty()) {
            Message m = camera.waiting.poll();
            if (within(m.at(), frame.getCapturedAt())) {
                forNew.add(m);
            } else {
                publishAlone(m);
            }
        }
        camera.held = frame;
        camera.attachedToHeld.addAll(forNew);
        if (window.isZero()) {
            release(camera);
        }
    }

    void readings(Message message) {
        Camera camera = cameras.computeIfAbsent(message.cameraId(), id -> new Camera());
        if (camera.held != null && within(message.at(), camera.held.getCapturedAt())) {
            camera.attachedToHeld.add(message);
        } else if (window.isZero() || camera.held != null && message.at().isBefore(camera.held.getCapturedAt())) {
            publishAlone(message); // older than the window around the newest frame: its frames are gone
        } else {
            if (camera.waiting.size() == MAX_WAITING_MESSAGES) {
                publishAlone(camera.waiting.poll());
            }
            camera.waiting.add(message);
        }
    }

    /** Releases frames held past the window and readings that waited for a frame in vain. */
    void tick(Instant now) {
        for (Camera camera : cameras.values()) {
            if (camera.held != null && Duration.between(camera.held.getCapturedAt(), now).compareTo(window) > 0) {
                release(camera);
            }
            while (!camera.waiting.isEmpty()
                    && Duration.between(camera.waiting.peek().at(), now).compareTo(window) > 0) {
                publishAlone(camera.waiting.poll());
            }
        }
    }

    /** Releases everything held: at the end of a run. */
    void flush() {
        for (Camera camera : cameras.values()) {
            release(camera);
            while (!camera.waiting.isEmpty()) {
                publishAlone(camera.waiting.poll());
            }
        }
    }

    /** Reading messages attached to a frame so far. */
    long attached() {
        return attached;
    }

    /** Reading messages published on their own so far. */
    long publishedAlone() {
        return publishedAlone;
    }

    private void release(Camera camera) {
        if (camera.held == null) {
            return;
        }
        Frame frame = camera.held;
        if (!camera.attachedToHeld.isEmpty()) {
            List<Reading> readings = new ArrayList<>(frame.getReadings());
            camera.attachedToHeld.stream().sorted(java.util.Comparator.comparing(Message::at))
                    .forEach(m -> readings.addAll(m.readings()));
            attached += camera.attachedToHeld.size();
            frame = Frame.newBuilder(frame).setReadings(readings).build();
        }
        camera.held = null;
        camera.attachedToHeld.clear();
        frames.accept(frame);
    }

    private void publishAlone(Message m) {
        publishedAlone++;
        alone.accept(CameraReadings.newBuilder().setCameraId(m.cameraId()).setReadings(m.readings())
                .setSource(m.source()).build());
    }

    private boolean within(Instant a, Instant b) {
        return Duration.between(a, b).abs().compareTo(window) <= 0;
    }

    private static Instant middle(Instant a, Instant b) {
        return a.plus(Duration.between(a, b).dividedBy(2));
    }
}
