package io.sightline.offline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sightline.tracking.Box;
import io.sightline.tracking.Tracker;
import io.sightline.tracking.TrackerSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The track ids of {@code detect}: the images of a folder are one camera's frames in name order, each captured at its
 * file's time, or a millisecond after the one before when that time is not later (files copied together share one).
 */
public final class FolderTracks {

    private final Tracker tracker;
    private long last = Long.MIN_VALUE;

    /** With the tracker's default settings. */
    public FolderTracks() {
        this(TrackerSettings.defaults());
    }

    public FolderTracks(TrackerSettings settings) {
        this.tracker = Tracker.start(settings);
    }

    /** Adds {@code trackId} to each face of one image's {@code detect --json} object. */
    public void assign(ObjectNode result, Path image) throws IOException {
        long time = Files.getLastModifiedTime(image).toMillis();
        assign(result, last == Long.MIN_VALUE ? time : Math.max(time, last + 1));
    }

    /** Adds {@code trackId} to each face of a frame captured at {@code time} (epoch milliseconds). */
    public void assign(ObjectNode result, long time) {
        last = time;
        JsonNode faces = result.path("faces");
        if (!faces.isArray()) {
            return; // a frame that failed: no faces, and the tracks go on as they are
        }
        List<Box> boxes = new ArrayList<>();
        float[] scores = new float[faces.size()];
        for (int i = 0; i < faces.size(); i++) {
            JsonNode box = faces.get(i).get("box");
            boxes.add(new Box(box.get(0).floatValue(), box.get(1).floatValue(), box.get(2).floatValue(),
                    box.get(3).floatValue()));
            scores[i] = faces.get(i).get("score").floatValue();
        }
        long[] ids = tracker.update(time, boxes, scores);
        for (int i = 0; i < ids.length; i++) {
            ObjectNode face = (ObjectNode) faces.get(i);
            if (ids[i] == Tracker.NO_TRACK) {
                face.putNull("trackId");
            } else {
                face.put("trackId", ids[i]);
            }
        }
    }
}
