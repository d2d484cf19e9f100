package io.sightline.stream;

import io.sightline.schemas.avro.DetectionEvent;
import io.sightline.schemas.avro.FaceDetection;
import io.sightline.schemas.avro.TrackEvent;
import io.sightline.schemas.avro.TrackEventKind;
import io.sightline.tracking.Box;
import io.sightline.tracking.Tracker;
import io.sightline.tracking.TrackerSettings;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Gives every face of a camera's events its track id, on the camera's partition where its events pass in the order
 * of its frames (after {@link EventOrder} for spread frames, straight after the chain for frames run in place), and
 * publishes each track's start and end ({@link TrackEvent}). The camera's {@link Tracker} lives in a changelogged
 * store, read and written per event, so it moves with the partition, and a failover or a replay of the same frames
 * gives the same ids. A track ends with the first frame of its camera captured more than the miss time after it was
 * last seen: a camera that stops sending frames ends its tracks when it sends again.
 */
final class FaceTracking implements Processor<String, DetectionEvent, String, SpecificRecord> {

    private final String storeName;
    private final TrackerSettings settings;
    private final String eventsChild;
    private final String tracksChild;
    private ProcessorContext<String, SpecificRecord> context;
    private KeyValueStore<String, byte[]> store;

    /**
     * @param eventsChild the node the events go on to
     * @param tracksChild the node track lifecycle records go to
     */
    FaceTracking(String storeName, TrackerSettings settings, String eventsChild, String tracksChild) {
        this.storeName = storeName;
        this.settings = settings;
        this.eventsChild = eventsChild;
        this.tracksChild = tracksChild;
    }

    @Override
    public void init(ProcessorContext<String, SpecificRecord> context) {
        this.context = context;
        this.store = context.getStateStore(storeName);
    }

    @Override
    public void process(Record<String, DetectionEvent> record) {
        DetectionEvent event = record.value();
        if (event == null) {
            return;
        }
        String camera = event.getCameraId();
        Tracker tracker = Tracker.restore(settings, store.get(camera));
        Tracker.Step step = assign(tracker, event);
        store.put(camera, tracker.state());
        context.forward(record.withValue((SpecificRecord) event), eventsChild);
        for (Tracker.Span span : step.ended()) {
            context.forward(record.withValue(lifecycle(event, span, TrackEventKind.ENDED)), tracksChild);
        }
        for (Tracker.Span span : step.started()) {
            context.forward(record.withValue(lifecycle(event, span, TrackEventKind.STARTED)), tracksChild);
        }
    }

    /** Sets the track id of each of the event's faces from {@code tracker}, which moves on to the event's frame. */
    static Tracker.Step assign(Tracker tracker, DetectionEvent event) {
        List<FaceDetection> faces = event.getFaces();
        List<Box> boxes = new ArrayList<>(faces.size());
        float[] scores = new float[faces.size()];
        for (int i = 0; i < faces.size(); i++) {
            var box = faces.get(i).getBox();
            boxes.add(new Box(box.getX1(), box.getY1(), box.getX2(), box.getY2()));
            scores[i] = faces.get(i).getScore();
        }
        Tracker.Step step = tracker.step(event.getCapturedAt().toEpochMilli(), boxes, scores, event.getEventId());
        for (int i = 0; i < faces.size(); i++) {
            long id = step.ids()[i];
            faces.get(i).setTrackId(id == Tracker.NO_TRACK ? null : id);
        }
        return step;
    }

    private static TrackEvent lifecycle(DetectionEvent event, Tracker.Span span, TrackEventKind kind) {
        return TrackEvent.newBuilder().setCameraId(event.getCameraId()).setTrackId(span.id()).setKind(kind)
                .setFirstSeen(Instant.ofEpochMilli(span.firstSeen())).setLastSeen(Instant.ofEpochMilli(span.lastSeen()))
                .setDwellMs(span.lastSeen() - span.firstSeen()).setFrames(span.frames())
                .setBestScore(span.bestScore()).setBestEventId(span.bestFrame()).setPipeline(event.getPipeline())
                .build();
    }
}
