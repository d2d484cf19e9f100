package io.sightline.tracking;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Follows one camera's faces from frame to frame, ByteTrack-style, on capture time rather than frame count (so
 * variable frame rates and dropped frames need nothing special):
 * <ol>
 *   <li>each track's box is predicted at the frame's capture time from its velocity (centre and size);</li>
 *   <li>confident faces ({@link TrackerSettings#highScore}) are associated with every track by IoU (optimal
 *       assignment), then the other faces with the tracks seen in the previous frame that are still unmatched —
 *       a face half hidden scores lower, and keeps its track;</li>
 *   <li>a confident face left over starts a track, whose faces carry its id once it has been seen
 *       {@link TrackerSettings#birthHits} times; a track not yet born ends at its first miss, a born one after
 *       {@link TrackerSettings#maxMiss} of capture time without a face.</li>
 * </ol>
 *
 * <p>A track's id comes from the frame it started in: its capture time in milliseconds × 1000 plus the face's rank
 * (left to right) among the tracks that frame started. So the ids are the same whoever processes the frames —
 * after a failover, a frame processed twice, or a replay of the same frames — and unique within a camera. The whole
 * state is {@link #state()}, restored with {@link #restore}; the tracker is a pure function of it and the frames.
 *
 * <p>A frame captured before the last one seen (late, or a camera whose clock stepped back) is associated with the
 * tracks as they are, without changing them.
 */
public final class Tracker {

    /** Returned for a face that belongs to no born track. */
    public static final long NO_TRACK = 0;

    private static final byte FORMAT = 1;
    private static final int RANKS = 1000;

    private final TrackerSettings settings;
    private final List<Track> tracks;
    private long lastTime;

    private Tracker(TrackerSettings settings, List<Track> tracks, long lastTime) {
        this.settings = settings;
        this.tracks = tracks;
        this.lastTime = lastTime;
    }

    public static Tracker start(TrackerSettings settings) {
        return new Tracker(settings, new ArrayList<>(), Long.MIN_VALUE);
    }

    /** The tracker whose {@link #state()} was {@code state}; a new one when {@code state} is null or empty. */
    public static Tracker restore(TrackerSettings settings, byte[] state) {
        if (state == null || state.length == 0) {
            return start(settings);
        }
        try (var in = new DataInputStream(new ByteArrayInputStream(state))) {
            byte format = in.readByte();
            if (format != FORMAT) {
                throw new IllegalArgumentException("unknown tracker state format " + format);
            }
            long lastTime = in.readLong();
            int count = in.readInt();
            List<Track> tracks = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                tracks.add(Track.read(in));
            }
            return new Tracker(settings, tracks, lastTime);
        } catch (IOException e) {
            throw new IllegalArgumentException("tracker state is cut short", e);
        }
    }

    /** Everything the tracker knows, as bytes: what a state store keeps per camera. */
    public byte[] state() {
        var bytes = new ByteArrayOutputStream(16 + tracks.size() * 72);
        try (var out = new DataOutputStream(bytes)) {
            out.writeByte(FORMAT);
            out.writeLong(lastTime);
            out.writeInt(tracks.size());
            for (Track track : tracks) {
                track.write(out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Tracks alive now (born or not). */
    public int size() {
        return tracks.size();
    }

    /** Ids of the born tracks alive now. */
    public long[] activeIds() {
        return tracks.stream().filter(this::born).mapToLong(Track::id).toArray();
    }

    /**
     * A track's life so far.
     *
     * @param bestFrame the {@code frame} given with the face that scored highest (e.g. its event's id)
     * @param firstX     the centre of the track's first box, where it was first seen
     */
    public record Span(long id, long firstSeen, long lastSeen, int frames, float bestScore, String bestFrame,
            float firstX, float firstY) {}

    /**
     * What one frame did: each face's track id ({@link #NO_TRACK} for none), the tracks born with it and those it
     * ended (born tracks not seen for the miss time); {@code late}: the frame was captured before the last one seen,
     * so it changed nothing.
     */
    public record Step(long[] ids, List<Span> started, List<Span> ended, boolean late) {}

    /** {@link #step} without naming the frame: each face's track id. */
    public long[] update(long time, List<Box> boxes, float[] scores) {
        return step(time, boxes, scores, "").ids();
    }

    /**
     * Associates one frame's faces with the tracks.
     *
     * @param time   the frame's capture time, epoch milliseconds
     * @param boxes  its faces' boxes
     * @param scores its faces' scores, in the same order
     * @param frame  names the frame in {@link Span#bestFrame()}
     */
    public Step step(long time, List<Box> boxes, float[] scores, String frame) {
        if (boxes.size() != scores.length) {
            throw new IllegalArgumentException(boxes.size() + " boxes but " + scores.length + " scores");
        }
        boolean late = time < lastTime;
        long at = late ? lastTime : time;
        Box[] predicted = tracks.stream().map(track -> track.predict(at)).toArray(Box[]::new);
        int[] trackOf = new int[boxes.size()];
        Arrays.fill(trackOf, -1);
        boolean[] taken = new boolean[tracks.size()];

        List<Integer> confident = new ArrayList<>();
        List<Integer> doubtful = new ArrayList<>();
        for (int i = 0; i < boxes.size(); i++) {
            (scores[i] >= settings.highScore() ? confident : doubtful).add(i);
        }
        associate(confident, boxes, predicted, taken, trackOf, settings.firstIou(), track -> true);
        associate(doubtful, boxes, predicted, taken, trackOf, settings.secondIou(), track -> true);

        long[] ids = new long[boxes.size()];
        if (late) {
            for (int i = 0; i < ids.length; i++) {
                ids[i] = trackOf[i] >= 0 && born(tracks.get(trackOf[i])) ? tracks.get(trackOf[i]).id : NO_TRACK;
            }
            return new Step(ids, List.of(), List.of(), true);
        }
        List<Span> started = new ArrayList<>();
        List<Span> ended = new ArrayList<>();
        for (int i = 0; i < boxes.size(); i++) {
            if (trackOf[i] >= 0) {
                Track track = tracks.get(trackOf[i]);
                boolean wasBorn = born(track);
                track.update(time, boxes.get(i), scores[i], frame, settings.velocityWindow().toMillis());
                ids[i] = born(track) ? track.id : NO_TRACK;
                if (!wasBorn && born(track)) {
                    started.add(track.span());
                }
            }
        }
        List<Track> kept = new ArrayList<>(tracks.size() + boxes.size());
        for (int t = 0; t < tracks.size(); t++) {
            Track track = tracks.get(t);
            boolean gone = !taken[t] && (!born(track) || time - track.lastSeen > settings.maxMiss().toMillis());
            if (!gone) {
                kept.add(track);
            } else if (born(track)) {
                ended.add(track.span());
            }
        }
        Set<Long> used = new HashSet<>();
        kept.forEach(track -> used.add(track.id));
        List<Integer> newcomers = java.util.stream.IntStream.range(0, boxes.size()).boxed().filter(i -> trackOf[i] < 0)
                .sorted(Comparator.<Integer>comparingDouble(i -> boxes.get(i).x1())
                        .thenComparingDouble(i -> boxes.get(i).y1()))
                .toList();
        int rank = 0;
        for (int i : newcomers) {
            long id = Math.multiplyExact(time, (long) RANKS) + rank++;
            while (id <= 0 || !used.add(id)) {
                id++;
            }
            // A face the detector doubts starts a track only when the next frame confirms it: one-frame false
            // detections then never get an id.
            int needed = settings.birthHits() + (scores[i] >= settings.highScore() ? 0 : 1);
            Track track = Track.start(id, time, boxes.get(i), scores[i], frame, needed);
            kept.add(track);
            ids[i] = born(track) ? id : NO_TRACK;
            if (born(track)) {
                started.add(track.span());
            }
        }
        tracks.clear();
        tracks.addAll(kept);
        lastTime = time;
        return new Step(ids, started, ended, false);
    }

    private boolean born(Track track) {
        return track.hits >= track.needed;
    }

    private void associate(List<Integer> faces, List<Box> boxes, Box[] predicted, boolean[] taken, int[] trackOf,
            double floor, java.util.function.Predicate<Track> eligible) {
        if (faces.isEmpty()) {
            return;
        }
        double[][] weights = new double[faces.size()][tracks.size()];
        for (int f = 0; f < faces.size(); f++) {
            Box box = boxes.get(faces.get(f));
            for (int t = 0; t < tracks.size(); t++) {
                if (!taken[t] && eligible.test(tracks.get(t))) {
                    double similarity = similarity(tracks.get(t), predicted[t], box);
                    weights[f][t] = similarity >= floor ? similarity : 0;
                }
            }
        }
        int[] pairing = Assignment.maximise(weights, 0);
        for (int f = 0; f < faces.size(); f++) {
            if (pairing[f] >= 0) {
                trackOf[faces.get(f)] = pairing[f];
                taken[pairing[f]] = true;
            }
        }
    }

    /**
     * How well a face fits a track: the IoU of the face with the track's predicted box. A track seen once has no
     * velocity yet, so a fast small face (at 5 frames a second, a 40 px face walking moves 30 px a frame) may already
     * overlap too little: for such a track a face of about its size within two face widths counts as well, from 0.5
     * (same centre) down to 0 (two widths away), whichever is higher.
     */
    private static double similarity(Track track, Box predicted, Box face) {
        double iou = face.iou(predicted);
        if (track.hits > 1) {
            return iou;
        }
        double size = Math.sqrt((double) predicted.width() * predicted.height());
        double faceSize = Math.sqrt((double) face.width() * face.height());
        if (size <= 0 || faceSize < size / 1.5 || faceSize > size * 1.5) {
            return iou;
        }
        double dx = (face.x1() + face.x2() - predicted.x1() - predicted.x2()) / 2.0;
        double dy = (face.y1() + face.y2() - predicted.y1() - predicted.y2()) / 2.0;
        double near = 0.5 * (1 - Math.hypot(dx, dy) / (2 * size));
        return Math.max(iou, near);
    }

    /** One track: when it began and was last seen, its box (centre and size) and their velocities per millisecond. */
    private static final class Track {
        final long id;
        final long firstSeen;
        long lastSeen;
        int hits;
        /** Hits before the track is born. */
        int needed;
        float cx;
        float cy;
        float w;
        float h;
        float vx;
        float vy;
        float bestScore;
        String bestFrame = "";
        float firstX;
        float firstY;

        private Track(long id, long firstSeen) {
            this.id = id;
            this.firstSeen = firstSeen;
        }

        long id() {
            return id;
        }

        static Track start(long id, long time, Box box, float score, String frame, int needed) {
            Track track = new Track(id, time);
            track.needed = needed;
            track.bestFrame = frame;
            track.lastSeen = time;
            track.hits = 1;
            track.place(box);
            track.firstX = track.cx;
            track.firstY = track.cy;
            track.bestScore = score;
            return track;
        }

        private void place(Box box) {
            cx = (box.x1() + box.x2()) / 2;
            cy = (box.y1() + box.y2()) / 2;
            w = box.width();
            h = box.height();
        }

        Box predict(long time) {
            long dt = Math.max(0, time - lastSeen);
            float pw = w;
            float ph = h;
            float px = cx + vx * dt;
            float py = cy + vy * dt;
            return new Box(px - pw / 2, py - ph / 2, px + pw / 2, py + ph / 2);
        }

        Span span() {
            return new Span(id, firstSeen, lastSeen, hits, bestScore, bestFrame, firstX, firstY);
        }

        void update(long time, Box box, float score, String frame, double velocityWindowMs) {
            long dt = time - lastSeen;
            float ox = cx;
            float oy = cy;
            place(box);
            if (dt > 0) {
                // Detector boxes jitter by a few pixels: at 15 frames a second that is much of a frame's motion, so
                // the velocity follows new measurements over about the velocity window of capture time.
                float a = hits == 1 ? 1 : (float) (1 - Math.exp(-(double) dt / velocityWindowMs));
                vx += a * ((cx - ox) / dt - vx);
                vy += a * ((cy - oy) / dt - vy);
            }
            lastSeen = Math.max(lastSeen, time);
            hits++;
            if (score > bestScore) {
                bestScore = score;
                bestFrame = frame;
            }
        }

        void write(DataOutputStream out) throws IOException {
            out.writeLong(id);
            out.writeLong(firstSeen);
            out.writeLong(lastSeen);
            out.writeInt(hits);
            out.writeInt(needed);
            for (float value : new float[] {cx, cy, w, h, vx, vy, bestScore}) {
                out.writeFloat(value);
            }
            out.writeUTF(bestFrame);
            out.writeFloat(firstX);
            out.writeFloat(firstY);
        }

        static Track read(DataInputStream in) throws IOException {
            Track track = new Track(in.readLong(), in.readLong());
            track.lastSeen = in.readLong();
            track.hits = in.readInt();
            track.needed = in.readInt();
            track.cx = in.readFloat();
            track.cy = in.readFloat();
            track.w = in.readFloat();
            track.h = in.readFloat();
            track.vx = in.readFloat();
            track.vy = in.readFloat();
            track.bestScore = in.readFloat();
            track.bestFrame = in.readUTF();
            track.firstX = in.readFloat();
            track.firstY = in.readFloat();
            return track;
        }
    }
}
