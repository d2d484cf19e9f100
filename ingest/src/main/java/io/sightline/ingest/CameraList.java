package io.sightline.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * A YAML list of cameras, read and checked at once: a mistake fails the whole list with the file and the field to
 * fix, before any camera starts.
 *
 * <pre>
 * cameras:
 *   - id: door
 *     source: rtsp://user:pass@10.0.0.5:554/stream1   # rtsp://, http(s):// (MJPEG), a folder or a video file
 *     fps: 5                                          # optional, default 0: no limit
 *     pipeline: faces                                 # optional
 *     enabled: true                                   # optional, default true
 * </pre>
 */
public final class CameraList {

    private static final Set<String> FIELDS = Set.of("id", "source", "fps", "pipeline", "enabled");

    private CameraList() {}

    public static List<CameraSpec> load(Path file) {
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": not readable YAML: " + firstLine(e.getMessage()));
        }
        JsonNode cameras = root == null ? null : root.get("cameras");
        if (cameras == null || !cameras.isArray() || cameras.isEmpty()) {
            throw new IllegalArgumentException(file + ": needs a non-empty list 'cameras:' of {id, source, fps, "
                    + "pipeline, enabled}");
        }
        Path folder = file.toAbsolutePath().getParent();
        List<CameraSpec> specs = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < cameras.size(); i++) {
            String at = file + ": cameras[" + i + "]";
            CameraSpec spec = camera(cameras.get(i), at, folder);
            if (!ids.add(spec.id())) {
                throw new IllegalArgumentException(at + ".id: '" + spec.id() + "' is listed twice");
            }
            specs.add(spec);
        }
        return List.copyOf(specs);
    }

    private static CameraSpec camera(JsonNode node, String at, Path folder) {
        if (!node.isObject()) {
            throw new IllegalArgumentException(at + ": must be a mapping of id, source, fps, pipeline, enabled");
        }
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                throw new IllegalArgumentException(at + "." + name + ": unknown field (known: id, source, fps, "
                        + "pipeline, enabled)");
            }
        }
        String id = text(node, "id", at).orElseThrow(() -> new IllegalArgumentException(at + ".id: missing"));
        try {
            DirectorySourceConfig.requireValidCameraId(id);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(at + ".id: " + e.getMessage());
        }
        String source = text(node, "source", at)
                .orElseThrow(() -> new IllegalArgumentException(at + ".source: missing"));
        double fps = 0;
        if (node.has("fps")) {
            JsonNode f = node.get("fps");
            if (!f.isNumber() || f.asDouble() < 0) {
                throw new IllegalArgumentException(at + ".fps: must be a number, 0 or more, got " + f);
            }
            fps = f.asDouble();
        }
        boolean enabled = true;
        if (node.has("enabled")) {
            if (!node.get("enabled").isBoolean()) {
                throw new IllegalArgumentException(at + ".enabled: must be true or false, got " + node.get("enabled"));
            }
            enabled = node.get("enabled").asBoolean();
        }
        Optional<String> pipeline = text(node, "pipeline", at);
        String lower = source.toLowerCase(Locale.ROOT);
        if (lower.startsWith("rtsp://") || lower.startsWith("rtsps://")) {
            return new CameraSpec(id, CameraSpec.Kind.RTSP, source, fps, pipeline, enabled);
        }
        if (lower.startsWith("http://") || lower.startsWith("https://")) {
            return new CameraSpec(id, CameraSpec.Kind.MJPEG, source, fps, pipeline, enabled);
        }
        if (lower.matches("^[a-z][a-z0-9+.-]*://.*")) {
            throw new IllegalArgumentException(at + ".source: '" + source + "' is neither rtsp://, http(s):// nor a "
                    + "folder or video file");
        }
        Path path = folder.resolve(source).normalize();
        if (Files.isDirectory(path)) {
            return new CameraSpec(id, CameraSpec.Kind.DIR, path.toString(), fps, pipeline, enabled);
        }
        if (Files.isRegularFile(path)) {
            return new CameraSpec(id, CameraSpec.Kind.VIDEO, path.toString(), fps, pipeline, enabled);
        }
        throw new IllegalArgumentException(at + ".source: " + path + " does not exist");
    }

    private static Optional<String> text(JsonNode node, String field, String at) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isTextual() || value.asText().isBlank()) {
            throw new IllegalArgumentException(at + "." + field + ": must be a non-empty string, got " + value
                    + (value.isBoolean() ? " (YAML reads on/off/yes/no as booleans: quote it)" : ""));
        }
        return Optional.of(value.asText());
    }

    private static String firstLine(String message) {
        return message == null ? "" : message.lines().findFirst().orElse("");
    }
}
