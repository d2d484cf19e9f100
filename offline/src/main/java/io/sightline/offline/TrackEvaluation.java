package io.sightline.offline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sightline.model.DetectionOptions;
import io.sightline.model.ModelStore;
import io.sightline.model.ModelStoreConfig;
import io.sightline.schemas.FrameLimits;
import io.sightline.stream.Pipeline;
import io.sightline.stream.PipelineUdfs;
import io.sightline.stream.Pipelines;
import io.sightline.stream.UdfStack;
import io.sightline.stream.PipelineChain;
import io.sightline.tracking.Box;
import io.sightline.tracking.TrackScores;
import io.sightline.tracking.TrackerSettings;
import io.sightline.udf.UdfState;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code eval tracks}: runs a labelled sequence through a pipeline and the tracker, the frames one camera's in the
 * labels' order at the labels' times, and scores the track ids against the labelled identities ({@link TrackScores}).
 * Labels: {@code {"frames":[{"file":..., "time": ISO-8601, "objects":[{"id":..., "box":[x1,y1,x2,y2]}]}]}}, files
 * relative to the sequence's folder.
 */
public final class TrackEvaluation {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** One labelled frame. */
    public record LabelledFrame(Path file, Instant time, List<TrackScores.Labelled> objects) {}

    private TrackEvaluation() {}

    /** Evaluates one labelled sequence and prints its scores; the exit code. */
    public static int run(Path labelsFile, Path folder, Pipelines pipelines, DetectionOptions detection,
            ModelStoreConfig modelStore, TrackerSettings tracker, double iou, boolean json, PrintWriter out)
            throws IOException {
        if (!(iou > 0 && iou <= 1)) {
            throw new IllegalArgumentException("--iou must be in (0, 1], got " + iou);
        }
        List<LabelledFrame> frames = labels(labelsFile, folder);
        try (ModelStore models = ModelStore.open(modelStore);
                PipelineUdfs udfs = PipelineUdfs.open(pipelines, Map.of(), models.faceDetector(),
                        UdfStack.udfConfig(detection, FrameLimits.defaults()));
                PipelineChain chain = udfs.chain(pipelines.defaultPipeline())) {
            print(out, folder.getFileName().toString(), track(chain, frames, tracker), iou, json);
        }
        return 0;
    }

    /** Reads a labels file; a frame's file is resolved in {@code folder}. Anything malformed is one clear line. */
    public static List<LabelledFrame> labels(Path labelsFile, Path folder) throws IOException {
        if (!Files.isRegularFile(labelsFile)) {
            throw new IllegalArgumentException("labels file " + labelsFile + " does not exist");
        }
        if (!Files.isDirectory(folder)) {
            throw new IllegalArgumentException(folder + " is not a folder of frames");
        }
        JsonNode root = MAPPER.readTree(labelsFile.toFile());
        JsonNode frames = root.path("frames");
        if (!frames.isArray() || frames.isEmpty()) {
            throw new IllegalArgumentException(labelsFile + " has no \"frames\" array: expected "
                    + "{\"frames\":[{\"file\":..., \"time\": ISO-8601, \"objects\":[{\"id\":..., \"box\":[x1,y1,x2,y2]}]}]}");
        }
        List<LabelledFrame> result = new ArrayList<>();
        for (int i = 0; i < frames.size(); i++) {
            JsonNode frame = frames.get(i);
            String where = labelsFile + ", frame " + i;
            Path file = folder.resolve(text(frame, "file", where));
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException(where + ": " + file + " does not exist");
            }
            Instant time;
            try {
                time = Instant.parse(text(frame, "time", where));
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException(where + ": \"time\" is not an ISO-8601 instant: " + frame.get("time"));
            }
            if (!result.isEmpty() && time.isBefore(result.get(result.size() - 1).time())) {
                throw new IllegalArgumentException(where + ": time " + time + " is before the frame before it");
            }
            List<TrackScores.Labelled> objects = new ArrayList<>();
            for (JsonNode object : frame.path("objects")) {
                JsonNode box = object.path("box");
                if (!object.hasNonNull("id") || !box.isArray() || box.size() != 4) {
                    throw new IllegalArgumentException(where + ": an object needs \"id\" and \"box\": [x1, y1, x2, y2]");
                }
                objects.add(new TrackScores.Labelled(object.get("id").asText(), new Box(box.get(0).floatValue(),
                        box.get(1).floatValue(), box.get(2).floatValue(), box.get(3).floatValue())));
            }
            result.add(new LabelledFrame(file, time, objects));
        }
        return result;
    }

    private static String text(JsonNode node, String field, String where) {
        if (!node.hasNonNull(field)) {
            throw new IllegalArgumentException(where + " has no \"" + field + "\"");
        }
        return node.get(field).asText();
    }

    /** Detects and tracks each frame, as {@code detect --json} does with {@code trackId} set at the label's time. */
    public static List<TrackScores.Frame> track(PipelineChain chain, List<LabelledFrame> frames,
            TrackerSettings settings) throws IOException {
        Map<String, UdfState> states = new HashMap<>();
        var tracks = new FolderTracks(settings);
        List<TrackScores.Frame> scored = new ArrayList<>();
        for (LabelledFrame frame : frames) {
            ObjectNode result = FileDetection.detect(chain, frame.file(), null,
                    (Pipeline.Stage stage) -> states.computeIfAbsent(stage.udf(), udf -> UdfState.inMemory()));
            if (result.has("error")) {
                throw new IllegalArgumentException(frame.file() + ": " + result.at("/error/message").asText());
            }
            tracks.assign(result, frame.time().toEpochMilli());
            List<TrackScores.Tracked> tracked = new ArrayList<>();
            for (JsonNode face : result.get("faces")) {
                if (face.hasNonNull("trackId")) {
                    JsonNode box = face.get("box");
                    tracked.add(new TrackScores.Tracked(face.get("trackId").asLong(), new Box(box.get(0).floatValue(),
                            box.get(1).floatValue(), box.get(2).floatValue(), box.get(3).floatValue())));
                }
            }
            scored.add(new TrackScores.Frame(frame.objects(), tracked));
        }
        return scored;
    }

    /** What {@code eval tracks} prints: one JSON object, or a few lines for people. */
    public static void print(PrintWriter out, String sequence, List<TrackScores.Frame> frames, double iou,
            boolean json) throws IOException {
        TrackScores scores = TrackScores.of(frames, iou);
        Set<Long> tracks = new HashSet<>();
        frames.forEach(frame -> frame.tracked().forEach(box -> tracks.add(box.id())));
        if (json) {
            ObjectNode node = MAPPER.createObjectNode().put("sequence", sequence).put("iou", iou)
                    .put("frames", scores.frames()).put("truthTracks", scores.truthTracks())
                    .put("truthBoxes", scores.truthBoxes()).put("tracks", tracks.size())
                    .put("trackedBoxes", scores.trackedBoxes()).put("mota", round(scores.mota()))
                    .put("idf1", round(scores.idf1())).put("idSwitches", scores.idSwitches())
                    .put("fragmentations", scores.fragmentations()).put("misses", scores.misses())
                    .put("falsePositives", scores.falsePositives()).put("idPrecision", round(scores.idPrecision()))
                    .put("idRecall", round(scores.idRecall()));
            out.println(MAPPER.writeValueAsString(node));
        } else {
            out.println(String.format(Locale.ROOT, "%s: %d frames, %d labelled tracks (%d boxes), %d track ids "
                    + "(%d boxes), IoU >= %.2f", sequence, scores.frames(), scores.truthTracks(), scores.truthBoxes(),
                    tracks.size(), scores.trackedBoxes(), iou));
            out.println(String.format(Locale.ROOT, "  MOTA %.3f  IDF1 %.3f (ID precision %.3f, recall %.3f)",
                    scores.mota(), scores.idf1(), scores.idPrecision(), scores.idRecall()));
            out.println(String.format(Locale.ROOT, "  ID switches %d  fragmentations %d  misses %d  false positives %d",
                    scores.idSwitches(), scores.fragmentations(), scores.misses(), scores.falsePositives()));
        }
        out.flush();
    }

    private static double round(double value) {
        return Math.round(value * 10000) / 10000.0;
    }
}
