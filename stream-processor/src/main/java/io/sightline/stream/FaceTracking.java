package io.sightline.stream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sightline.schemas.avro.DetectionEvent;
import io.sightline.schemas.avro.FaceDetection;
import io.sightline.schemas.avro.TrackEvent;
import io.sightline.schemas.avro.TrackEventKind;
import io.sightline.schemas.avro.UdfOutputRecord;
import io.sightline.schemas.avro.UdfRef;
import io.sightline.tracking.Box;
import io.sightline.tracking.CameraZones;
import io.sightline.tracking.Tracker;
import io.sightline.tracking.TrackerSettings;
import io.sightline.tracking.ZoneWatch;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
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
 *
 * <p>A camera with zones or lines ({@link CameraZones}, from the pipelines file) also has a {@link ZoneWatch} in the
 * store; what it reports (zone enter and exit, loitering, line crossings, each naming the track) goes to the alerts
 * output as JSON {@link UdfOutputRecord}s, like crowd-alert's alerts, made by {@code zones}.
 */
final class FaceTracking implements Processor<String, DetectionEvent, String, SpecificRecord> {

    /** Who made zone records: the {@code udf} of their output records, the zones' sha256 as its hash. */
    static final String ZONES_MAKER = "zones";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Store keys: a camera's tracker, its zone watch. */
    private static final String TRACKER = "t/";
    private static final String ZONES = "z/";

    private final String storeName;
    private final TrackerSettings settings;
    private final String eventsChild;
    private final String tracksChild;
    private final Function<String, CameraZones> zonesOf;
    private final String alertsChild;
    private ProcessorContext<String, SpecificRecord> context;
    private KeyValueStore<String, byte[]> store;

    /**
     * @param eventsChild the node the events go on to
     * @param tracksChild the node track lifecycle records go to
     * @param zonesOf     each camera's zones and lines
     * @param alertsChild the node zone records go to
     */
    FaceTracking(String storeName, TrackerSettings settings, String eventsChild, String tracksChild,
            Function<String, CameraZones> zonesOf, String alertsChild) {
        this.storeName = storeName;
        this.settings = settings;
        this.eventsChild = eventsChild;
        this.tracksChild = tracksChild;
        this.zonesOf = zonesOf;
        this.alertsChild = alertsChild;
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
        Tracker tracker = Tracker.restore(settings, store.get(TRACKER + camera));
        Tracker.Step step = assign(tracker, event);
        CameraZones zones = zonesOf.apply(camera);
        ZoneWatch watch = null;
        // A late frame's faces are where the tracks were before: walking them back would cross lines twice.
        if (!zones.isEmpty() && !step.late()) {
            watch = ZoneWatch.restore(zones, store.get(ZONES + camera));
            for (ZoneWatch.Happening happening : watch.step(event.getCapturedAt().toEpochMilli(), seen(event, step),
                    ended(step))) {
                context.forward(record.withValue(alert(event, happening, zones)), alertsChild);
            }
        }
        for (Tracker.Span span : step.ended()) {
            context.forward(record.withValue(lifecycle(event, span, TrackEventKind.ENDED)), tracksChild);
        }
        for (Tracker.Span span : step.started()) {
            context.forward(record.withValue(lifecycle(event, span, TrackEventKind.STARTED)), tracksChild);
        }
        // The event last and the state after everything: should a record fail to serialize (its schema not
        // registered yet, the registry away), the frame is processed again on the state before it, without a copy
        // of its event already sent.
        context.forward(record.withValue((SpecificRecord) event), eventsChild);
        store.put(TRACKER + camera, tracker.state());
        if (watch != null) {
            store.put(ZONES + camera, watch.state());
        }
    }

    /** The born tracks of the event's faces, at their boxes' centres; those born with it also where they began. */
    private static List<ZoneWatch.Seen> seen(DetectionEvent event, Tracker.Step step) {
        Map<Long, Tracker.Span> born = new HashMap<>();
        step.started().forEach(span -> born.put(span.id(), span));
        List<ZoneWatch.Seen> seen = new ArrayList<>();
        for (FaceDetection face : event.getFaces()) {
            if (face.getTrackId() != null) {
                var box = face.getBox();
                double x = (box.getX1() + box.getX2()) / 2.0;
                double y = (box.getY1() + box.getY2()) / 2.0;
                Tracker.Span span = born.get(face.getTrackId());
                seen.add(span == null ? new ZoneWatch.Seen(face.getTrackId(), x, y)
                        : new ZoneWatch.Seen(face.getTrackId(), x, y, span.firstSeen(), span.firstX(), span.firstY()));
            }
        }
        return seen;
    }

    private static Map<Long, Long> ended(Tracker.Step step) {
        Map<Long, Long> ended = new LinkedHashMap<>();
        step.ended().forEach(span -> ended.put(span.id(), span.lastSeen()));
        return ended;
    }

    /** A zone record as JSON on the alerts output, e.g. {@code {"kind":"line-cross","line":"door",...}}. */
    private static UdfOutputRecord alert(DetectionEvent event, ZoneWatch.Happening happening, CameraZones zones) {
        ObjectNode json = JSON.createObjectNode().put("kind", happening.kind())
                .put(happening.kind().equals("line-cross") ? "line" : "zone", happening.name())
                .put("trackId", happening.trackId()).put("cameraId", event.getCameraId())
                .put("frameId", event.getFrameId()).put("eventId", event.getEventId())
                .put("timestamp", happening.time());
        happening.direction().ifPresent(direction -> json.put("direction", direction));
        if (!happening.kind().equals("line-cross") && !happening.kind().equals("zone-enter")) {
            json.put("seconds", happening.dwellMs() / 1000.0);
        }
        byte[] payload;
        try {
            payload = JSON.writeValueAsBytes(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return UdfOutputRecord.newBuilder().setEventId(event.getEventId()).setCameraId(event.getCameraId())
                .setFrameId(event.getFrameId()).setCapturedAt(event.getCapturedAt())
                .setOutput(Pipelines.ZONE_ALERTS).setContentType("application/json")
                .setPayload(ByteBuffer.wrap(payload))
                .setUdf(UdfRef.newBuilder().setName(ZONES_MAKER).setVersion("1").setSha256(zones.sha256()).build())
                .setPipeline(event.getPipeline()).build();
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
