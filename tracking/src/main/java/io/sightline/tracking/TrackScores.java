package io.sightline.tracking;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How well a tracker's output follows labelled objects, by the standard definitions: CLEAR-MOT (Bernardin and
 * Stiefelhagen, 2008: MOTA, identity switches, fragmentations) and IDF1 (Ristani et al., 2016), a box counting as
 * found when its IoU with the label is at least the threshold (0.4 in {@code eval tracks}).
 *
 * @param frames          frames scored
 * @param truthBoxes      labelled boxes over all frames
 * @param truthTracks     distinct labelled identities
 * @param trackedBoxes    boxes the tracker gave an id
 * @param matches         labelled boxes matched to a tracked box
 * @param misses          labelled boxes matched to none
 * @param falsePositives  tracked boxes matched to no label
 * @param idSwitches      times a labelled identity was matched to another track than the one before
 * @param fragmentations  times the tracking of a labelled identity was interrupted and resumed
 * @param mota            1 − (misses + false positives + identity switches) / labelled boxes
 * @param idf1            2 · identity true positives / (labelled boxes + tracked boxes), under the best one-to-one
 *                        pairing of labelled identities with track ids
 * @param idPrecision     identity true positives / tracked boxes
 * @param idRecall        identity true positives / labelled boxes
 */
public record TrackScores(int frames, int truthBoxes, int truthTracks, int trackedBoxes, int matches, int misses,
        int falsePositives, int idSwitches, int fragmentations, double mota, double idf1, double idPrecision,
        double idRecall) {

    /** One labelled object in a frame. */
    public record Labelled(String id, Box box) {}

    /** One box the tracker gave an id. */
    public record Tracked(long id, Box box) {}

    /** One frame: its labels and what the tracker reported. */
    public record Frame(List<Labelled> truth, List<Tracked> tracked) {}

    public static TrackScores of(List<Frame> frames, double iouThreshold) {
        int truthBoxes = 0;
        int trackedBoxes = 0;
        int matches = 0;
        int switches = 0;
        Map<String, Long> lastMatch = new HashMap<>();
        Map<String, List<Boolean>> trackedByTruth = new LinkedHashMap<>();
        // Identity true positives per (label id, track id): frames in which the two boxes overlap enough.
        Map<String, Map<Long, Integer>> overlaps = new LinkedHashMap<>();
        Map<Long, Integer> boxesPerTrack = new LinkedHashMap<>();
        Map<String, Integer> boxesPerTruth = new LinkedHashMap<>();

        for (Frame frame : frames) {
            List<Labelled> truth = frame.truth();
            List<Tracked> tracked = frame.tracked();
            truthBoxes += truth.size();
            trackedBoxes += tracked.size();
            for (Tracked box : tracked) {
                boxesPerTrack.merge(box.id(), 1, Integer::sum);
            }
            double[][] iou = new double[truth.size()][tracked.size()];
            for (int i = 0; i < truth.size(); i++) {
                Labelled label = truth.get(i);
                boxesPerTruth.merge(label.id(), 1, Integer::sum);
                for (int j = 0; j < tracked.size(); j++) {
                    iou[i][j] = label.box().iou(tracked.get(j).box());
                    if (iou[i][j] >= iouThreshold) {
                        overlaps.computeIfAbsent(label.id(), ignored -> new LinkedHashMap<>())
                                .merge(tracked.get(j).id(), 1, Integer::sum);
                    }
                }
            }
            // CLEAR-MOT: a correspondence from an earlier frame is kept while it still overlaps enough.
            int[] match = new int[truth.size()];
            boolean[] used = new boolean[tracked.size()];
            java.util.Arrays.fill(match, -1);
            for (int i = 0; i < truth.size(); i++) {
                Long previous = lastMatch.get(truth.get(i).id());
                for (int j = 0; previous != null && j < tracked.size(); j++) {
                    if (!used[j] && tracked.get(j).id() == previous && iou[i][j] >= iouThreshold) {
                        match[i] = j;
                        used[j] = true;
                        break;
                    }
                }
            }
            double[][] rest = new double[truth.size()][tracked.size()];
            for (int i = 0; i < truth.size(); i++) {
                for (int j = 0; j < tracked.size(); j++) {
                    rest[i][j] = match[i] < 0 && !used[j] && iou[i][j] >= iouThreshold ? iou[i][j] : 0;
                }
            }
            int[] fresh = Assignment.maximise(rest, 0);
            for (int i = 0; i < truth.size(); i++) {
                String id = truth.get(i).id();
                if (match[i] < 0 && fresh[i] >= 0) {
                    match[i] = fresh[i];
                    Long previous = lastMatch.get(id);
                    if (previous != null && previous != tracked.get(fresh[i]).id()) {
                        switches++;
                    }
                }
                if (match[i] >= 0) {
                    matches++;
                    lastMatch.put(id, tracked.get(match[i]).id());
                }
                trackedByTruth.computeIfAbsent(id, ignored -> new ArrayList<>()).add(match[i] >= 0);
            }
        }
        int misses = truthBoxes - matches;
        int falsePositives = trackedBoxes - matches;
        int fragmentations = 0;
        for (List<Boolean> states : trackedByTruth.values()) {
            int segments = 0;
            boolean before = false;
            for (boolean now : states) {
                if (now && !before) {
                    segments++;
                }
                before = now;
            }
            fragmentations += Math.max(0, segments - 1);
        }
        int idTruePositives = identityTruePositives(overlaps, boxesPerTruth, boxesPerTrack);
        double mota = truthBoxes == 0 ? 0 : 1 - (double) (misses + falsePositives + switches) / truthBoxes;
        double idf1 = truthBoxes + trackedBoxes == 0 ? 0 : 2.0 * idTruePositives / (truthBoxes + trackedBoxes);
        return new TrackScores(frames.size(), truthBoxes, boxesPerTruth.size(), trackedBoxes, matches, misses,
                falsePositives, switches, fragmentations, mota, idf1,
                trackedBoxes == 0 ? 0 : (double) idTruePositives / trackedBoxes,
                truthBoxes == 0 ? 0 : (double) idTruePositives / truthBoxes);
    }

    /** The best one-to-one pairing of labelled identities with track ids, by frames in which they coincide. */
    private static int identityTruePositives(Map<String, Map<Long, Integer>> overlaps,
            Map<String, Integer> truthIds, Map<Long, Integer> trackIds) {
        List<String> truth = new ArrayList<>(truthIds.keySet());
        List<Long> tracks = new ArrayList<>(trackIds.keySet());
        double[][] weights = new double[truth.size()][tracks.size()];
        for (int i = 0; i < truth.size(); i++) {
            Map<Long, Integer> row = overlaps.getOrDefault(truth.get(i), Map.of());
            for (int j = 0; j < tracks.size(); j++) {
                weights[i][j] = row.getOrDefault(tracks.get(j), 0);
            }
        }
        int[] pairing = Assignment.maximise(weights, 0);
        int total = 0;
        for (int i = 0; i < truth.size(); i++) {
            if (pairing[i] >= 0) {
                total += (int) weights[i][pairing[i]];
            }
        }
        return total;
    }
}
