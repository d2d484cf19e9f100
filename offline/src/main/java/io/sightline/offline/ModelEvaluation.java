package io.sightline.offline;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sightline.ingest.ImageFiles;
import io.sightline.model.BoundingBox;
import io.sightline.model.DetectionOptions;
import io.sightline.model.Face;
import io.sightline.model.FaceDetector;
import io.sightline.model.ModelCatalog;
import io.sightline.model.ModelInfo;
import io.sightline.model.ModelManifest;
import io.sightline.model.ModelStore;
import io.sightline.model.ModelStoreConfig;
import io.sightline.model.eval.FaceLabels;
import io.sightline.model.eval.FaceMatching;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import javax.imageio.ImageIO;

/** Measures a face detector on a hand-labelled set: recall, precision, clean negatives and one row per image. */
public final class ModelEvaluation {

    /** What the command line asked for. */
    public record Settings(Path labelsFile, List<Path> images, float minFace, String modelRef, double minIou, double scoreFloor, boolean json) {}

    private final Path labelsFile;
    private final List<Path> images;
    private final float minFace;
    private final String modelRef;
    private final double minIou;
    private final double scoreFloor;
    private final boolean json;
    private final ModelStoreConfig modelStore;
    private final PrintWriter out;
    private final PrintWriter err;

    public ModelEvaluation(Settings settings, ModelStoreConfig modelStore, PrintWriter out, PrintWriter err) {
        this.labelsFile = settings.labelsFile();
        this.images = settings.images();
        this.minFace = settings.minFace();
        this.modelRef = settings.modelRef();
        this.minIou = settings.minIou();
        this.scoreFloor = settings.scoreFloor();
        this.json = settings.json();
        this.modelStore = modelStore;
        this.out = out;
        this.err = err;
    }

    private static final String FACE_DETECTOR = "mtcnn";

    /** Measures the model on the labelled images and prints recall, precision and each image; the exit code. */
    public int run() throws IOException {
        if (!(minIou > 0 && minIou <= 1)) {
            throw new IllegalArgumentException("--iou must be in (0, 1], got " + minIou);
        }
        if (!(scoreFloor >= 0 && scoreFloor < 1)) {
            throw new IllegalArgumentException("--score-floor must be in [0, 1), got " + scoreFloor);
        }
        var options = new DetectionOptions(minFace);
        ModelManifest manifest = ModelCatalog.bundled().get(modelRef == null ? FACE_DETECTOR : modelRef);
        FaceLabels labels = FaceLabels.read(labelsFile);
        Set<Path> given = new LinkedHashSet<>();
        for (Path image : ImageFiles.of(images)) {
            given.add(FaceLabels.key(image));
        }
        List<Path> notLabelled = given.stream().filter(image -> !labels.isLabelled(image)).toList();
        List<Path> notGiven = labels.boxesByImage().keySet().stream().filter(image -> !given.contains(image))
                .toList();
        List<Path> measured = given.stream().filter(labels::isLabelled).toList();
        if (measured.isEmpty()) {
            throw new IllegalArgumentException("none of the images given is labelled in " + labelsFile);
        }
        List<FaceMatching.ImageResult> results = new ArrayList<>();
        ModelInfo model;
        try (ModelStore store = ModelStore.open(modelStore)) {
            store.activate(manifest.label());
            FaceDetector detector = store.faceDetector();
            model = detector.model();
            for (Path image : measured) {
                List<BoundingBox> found = detector.detect(decode(image), options).stream()
                        .filter(face -> face.score() >= scoreFloor).map(Face::box).toList();
                results.add(FaceMatching.match(name(image), labels.labelsOf(image), found, minIou));
            }
        }
        FaceMatching.Summary summary = FaceMatching.Summary.of(results);
        if (json) {
            out.println(json(model, summary, results, notLabelled, notGiven));
        } else {
            print(out, model, summary, results, notLabelled, notGiven);
        }
        out.flush();
        return 0;
    }

    private static BufferedImage decode(Path image) throws IOException {
        BufferedImage decoded = ImageIO.read(image.toFile());
        if (decoded == null) {
            throw new IllegalArgumentException("image " + image + " is not a JPEG or PNG this JVM can read");
        }
        return decoded;
    }

    /** An image's name as the labels file gives it when it lies under the file's folder. */
    private String name(Path image) {
        Path folder = FaceLabels.key(labelsFile).getParent();
        return image.startsWith(folder) ? folder.relativize(image).toString() : image.toString();
    }

    private ObjectNode json(ModelInfo model, FaceMatching.Summary summary, List<FaceMatching.ImageResult> results,
            List<Path> notLabelled, List<Path> notGiven) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.putObject("model").put("name", model.name()).put("version", model.version())
                .put("sha256", model.sha256());
        root.put("minFace", minFace).put("iou", minIou).put("scoreFloor", scoreFloor)
                .put("recall", summary.recall()).put("precision", summary.precision())
                .put("images", summary.images()).put("labels", summary.labels())
                .put("detections", summary.detections()).put("matched", summary.matched())
                .put("negatives", summary.negatives()).put("cleanNegatives", summary.cleanNegatives());
        var rows = root.putArray("perImage");
        for (FaceMatching.ImageResult result : results) {
            rows.addObject().put("file", result.file()).put("labels", result.labels())
                    .put("detections", result.detections()).put("matched", result.matched())
                    .put("misses", result.misses()).put("falsePositives", result.falsePositives());
        }
        var unlabelled = root.putArray("notLabelled");
        notLabelled.forEach(image -> unlabelled.add(image.toString()));
        var missing = root.putArray("notGiven");
        notGiven.forEach(image -> missing.add(name(image)));
        return root;
    }

    private void print(PrintWriter out, ModelInfo model, FaceMatching.Summary summary,
            List<FaceMatching.ImageResult> results, List<Path> notLabelled, List<Path> notGiven) {
        int width = Math.max(4, results.stream().mapToInt(result -> result.file().length()).max().orElse(4));
        out.printf("%-" + width + "s  %6s  %10s  %7s  %6s  %15s%n", "file", "labels", "detections", "matched",
                "misses", "false positives");
        for (FaceMatching.ImageResult result : results) {
            out.printf("%-" + width + "s  %6d  %10d  %7d  %6d  %15d%n", result.file(), result.labels(),
                    result.detections(), result.matched(), result.misses(), result.falsePositives());
        }
        out.printf("%s@%s, min face %.0f, IoU >= %.2f, score floor %.2f: %d images%n", model.name(), model.version(),
                minFace, minIou, scoreFloor, summary.images());
        out.printf("recall %.3f (%d of %d faces)  precision %.3f (%d of %d detections)  clean negatives %d of %d%n",
                summary.recall(), summary.matched(), summary.labels(), summary.precision(), summary.matched(),
                summary.detections(), summary.cleanNegatives(), summary.negatives());
        if (!notLabelled.isEmpty()) {
            out.printf("not labelled in %s, so not measured: %s%n", labelsFile, notLabelled);
        }
        if (!notGiven.isEmpty()) {
            out.printf("labelled but not given, so not measured: %s%n",
                    notGiven.stream().map(this::name).toList());
        }
    }
}
