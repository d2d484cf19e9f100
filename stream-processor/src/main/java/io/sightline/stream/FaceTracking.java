package io.sightline.stream;

import io.sightline.schemas.avro.DetectionEvent;
import io.sightline.schemas.avro.FaceDetection;
import io.sightline.tracking.Box;
import io.sightline.tracking.Tracker;
import io.sightline.tracking.TrackerSettings;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Gives every face of a camera's events its track id, on the camera's partition where its events pass in the order
 * of its frames (after {@link EventOrder} for spread frames, straight after the chain for frames run in place). The
 * camera's {@link Tracker} lives in a changelogged store, read and written per event, so it moves with the partition
 * and a failover or a replay of the same frames gives the same ids.
 */
final class FaceTracking implements Processor<String, DetectionEvent, String, DetectionEvent> {

    private final String storeName;
    private final TrackerSettings settings;
    private ProcessorContext<String, DetectionEvent> context;
    private KeyValueStore<String, byte[]> store;

    FaceTracking(String storeName, TrackerSettings settings) {
        this.storeName = storeName;
        this.settings = settings;
    }

    @Override
    public void init(ProcessorContext<String, DetectionEvent> context) {
        this.context = context;
        this.store = context.getStateStore(storeName);
    }

    @Override
    public void process(Record<String, DetectionEvent> record) {
        DetectionEvent event = record.value();
        if (event != null) {
            String camera = event.getCameraId();
            Tracker tracker = Tracker.restore(settings, store.get(camera));
            assign(tracker, event);
            store.put(camera, tracker.state());
        }
        context.forward(record);
    }

    /** Sets the track id of each of the event's faces from {@code tracker}, which moves on to the event's frame. */
    static void assign(Tracker tracker, DetectionEvent event) {
        List<FaceDetection> faces = event.getFaces();
        List<Box> boxes = new ArrayList<>(faces.size());
        float[] scores = new float[faces.size()];
        for (int i = 0; i < faces.size(); i++) {
            var box = faces.get(i).getBox();
            boxes.add(new Box(box.getX1(), box.getY1(), box.getX2(), box.getY2()));
            scores[i] = faces.get(i).getScore();
        }
        long[] ids = tracker.update(event.getCapturedAt().toEpochMilli(), boxes, scores);
        for (int i = 0; i < faces.size(); i++) {
            faces.get(i).setTrackId(ids[i] == Tracker.NO_TRACK ? null : ids[i]);
        }
    }
}
