package io.sightline.model.eval;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sightline.model.BoundingBox;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A labelled set: {@code [{"file": "a.jpg", "boxes": [[x1, y1, x2, y2], ...]}, ...]}, file names relative to the
 * labels file's folder, boxes in pixels of the image; an image with no faces has {@code "boxes": []}.
 */
public record FaceLabels(Path source, Map<Path, List<BoundingBox>> boxesByImage) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Reads and checks a labels file.
     *
     * @throws IllegalArgumentException naming the file, entry and problem when the file is not of that shape or names
     *                                  an image that does not exist
     */
    public static FaceLabels read(Path file) throws IOException {
        JsonNode root;
        try {
            root = JSON.readTree(Files.readString(file));
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("labels file " + file + " does not exist");
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("labels file " + file + " is not valid JSON: "
                    + e.getOriginalMessage());
        }
        if (root == null || !root.isArray()) {
            throw new IllegalArgumentException("labels file " + file
                    + " must hold a JSON array of {\"file\": NAME, \"boxes\": [[x1,y1,x2,y2], ...]}");
        }
        Path folder = file.toAbsolutePath().normalize().getParent();
        Map<Path, List<BoundingBox>> boxes = new LinkedHashMap<>();
        for (int i = 0; i < root.size(); i++) {
            JsonNode entry = root.get(i);
            String where = "labels file " + file + ", entry " + i;
            JsonNode name = entry.get("file");
            if (name == null || !name.isTextual() || name.asText().isBlank()) {
                throw new IllegalArgumentException(where + ": \"file\" must be an image file name");
            }
            where += " (" + name.asText() + ")";
            Path image = folder.resolve(name.asText()).normalize();
            if (!Files.isRegularFile(image)) {
                throw new IllegalArgumentException(where + ": image " + image + " does not exist");
            }
            if (boxes.put(image, boxes(entry.get("boxes"), where)) != null) {
                throw new IllegalArgumentException(where + ": the image is labelled twice");
            }
        }
        return new FaceLabels(file, boxes);
    }

    private static List<BoundingBox> boxes(JsonNode boxes, String where) {
        if (boxes == null || !boxes.isArray()) {
            throw new IllegalArgumentException(where + ": \"boxes\" must be an array of [x1, y1, x2, y2] "
                    + "(empty for an image without faces)");
        }
        List<BoundingBox> result = new ArrayList<>(boxes.size());
        for (int b = 0; b < boxes.size(); b++) {
            JsonNode box = boxes.get(b);
            if (!box.isArray() || box.size() != 4 || !allNumbers(box)) {
                throw new IllegalArgumentException(where + ", box " + b + ": expected [x1, y1, x2, y2] in pixels, got "
                        + box);
            }
            double x1 = box.get(0).asDouble();
            double y1 = box.get(1).asDouble();
            double x2 = box.get(2).asDouble();
            double y2 = box.get(3).asDouble();
            if (!(x2 > x1 && y2 > y1) || x1 < 0 || y1 < 0) {
                throw new IllegalArgumentException(where + ", box " + b + ": " + box
                        + " is not a box: x1,y1 is the top-left corner (>= 0), x2 > x1 and y2 > y1");
            }
            result.add(new BoundingBox((float) x1, (float) y1, (float) x2, (float) y2));
        }
        return List.copyOf(result);
    }

    private static boolean allNumbers(JsonNode box) {
        for (JsonNode value : box) {
            if (!value.isNumber()) {
                return false;
            }
        }
        return true;
    }

    /** The labels of an image given on the command line, matched by its absolute path. */
    public List<BoundingBox> labelsOf(Path image) {
        return boxesByImage.get(key(image));
    }

    public boolean isLabelled(Path image) {
        return boxesByImage.containsKey(key(image));
    }

    public static Path key(Path image) {
        return image.toAbsolutePath().normalize();
    }
}
