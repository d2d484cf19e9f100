package io.sightline.stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sightline.tracking.CameraZones;
import io.sightline.udf.UdfDeployment;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads a pipelines file (docs/pipelines.md):
 *
 * <pre>
 * pipelines:
 *   - name: entrance
 *     cameras: [door-1, door-2]
 *     stages:
 *       - udf: frame-sampler
 *         config: {fps: 2}
 *       - face-annotate
 *   - name: default
 *     cameras: ["*"]
 *     stages:
 *       - face-annotate
 *       - udf: crowd-alert
 *         config: {minFaces: 5, frames: 3}
 *         outputs: [alerts]
 * </pre>
 *
 * Every mistake fails with the file, the line and what to fix; unknown keys are mistakes too (a misspelt
 * {@code output:} must not silently declare nothing).
 */
public final class PipelinesFile {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String source;

    private PipelinesFile(String source) {
        this.source = source;
    }

    public static Pipelines read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("pipelines file " + file + " does not exist");
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read pipelines file " + file + ": " + e.getMessage(), e);
        }
        return parse(text, file.toString());
    }

    /** @param source the file's name, for messages */
    public static Pipelines parse(String yaml, String source) {
        return new PipelinesFile(source).parse(new StringReader(yaml));
    }

    private Pipelines parse(Reader yaml) {
        Node root;
        try {
            LoaderOptions options = new LoaderOptions();
            options.setAllowDuplicateKeys(false);
            root = new Yaml(options).compose(yaml);
        } catch (MarkedYAMLException e) {
            throw new IllegalArgumentException(source + " line " + (e.getProblemMark().getLine() + 1)
                    + ": not valid YAML: " + e.getProblem());
        } catch (YAMLException e) {
            throw new IllegalArgumentException(source + ": not valid YAML: " + e.getMessage());
        }
        if (root == null) {
            throw new IllegalArgumentException(source + " is empty: it needs a pipelines: list (see "
                    + "docs/pipelines.md)");
        }
        MappingNode top = mapping(root, "the file");
        requireKeys(top, Set.of("pipelines", "cameras"), "the file");
        Node list = value(top, "pipelines").orElseThrow(() -> error(root, "the file needs a pipelines: list"));
        List<Pipeline> pipelines = new ArrayList<>();
        for (Node item : sequence(list, "pipelines").getValue()) {
            pipelines.add(pipeline(item));
        }
        Map<String, CameraZones> cameras = new LinkedHashMap<>();
        Optional<Node> cameraNode = value(top, "cameras");
        if (cameraNode.isPresent()) {
            for (NodeTuple tuple : mapping(cameraNode.get(), "cameras").getValue()) {
                String camera = scalar(tuple.getKeyNode(), "a camera id");
                cameras.put(camera, zones(camera, tuple.getValueNode()));
            }
        }
        return new Pipelines(pipelines, source, cameras);
    }

    /**
     * A camera's {@code zones:} (name, polygon of [x, y] corners, optional loiter seconds) and {@code lines:} (name,
     * from: [x, y], to: [x, y]), in pixels of its frames.
     */
    private CameraZones zones(String camera, Node node) {
        MappingNode map = mapping(node, "camera " + camera);
        requireKeys(map, Set.of("zones", "lines"), "camera " + camera);
        List<CameraZones.Zone> zones = new ArrayList<>();
        for (Node item : value(map, "zones").map(z -> sequence(z, "zones").getValue()).orElse(List.of())) {
            MappingNode zone = mapping(item, "a zone");
            requireKeys(zone, Set.of("name", "polygon", "loiter"), "a zone");
            String name = scalar(value(zone, "name").orElseThrow(() -> error(item, "the zone needs a name:")), "name");
            List<CameraZones.Point> polygon = new ArrayList<>();
            Node corners = value(zone, "polygon").orElseThrow(() -> error(item, "zone " + name
                    + " needs polygon: [[x, y], [x, y], [x, y], ...] in pixels"));
            for (Node corner : sequence(corners, "polygon").getValue()) {
                polygon.add(point(corner));
            }
            Optional<Duration> loiter = value(zone, "loiter").map(this::seconds);
            try {
                zones.add(new CameraZones.Zone(name, polygon, loiter));
            } catch (IllegalArgumentException e) {
                throw error(item, e.getMessage());
            }
        }
        List<CameraZones.Line> lines = new ArrayList<>();
        for (Node item : value(map, "lines").map(l -> sequence(l, "lines").getValue()).orElse(List.of())) {
            MappingNode line = mapping(item, "a line");
            requireKeys(line, Set.of("name", "from", "to"), "a line");
            String name = scalar(value(line, "name").orElseThrow(() -> error(item, "the line needs a name:")), "name");
            CameraZones.Point from = point(value(line, "from").orElseThrow(() -> error(item, "line " + name
                    + " needs from: [x, y]")));
            CameraZones.Point to = point(value(line, "to").orElseThrow(() -> error(item, "line " + name
                    + " needs to: [x, y]")));
            try {
                lines.add(new CameraZones.Line(name, from, to));
            } catch (IllegalArgumentException e) {
                throw error(item, e.getMessage());
            }
        }
        try {
            return new CameraZones(zones, lines);
        } catch (IllegalArgumentException e) {
            throw error(node, "camera " + camera + ": " + e.getMessage());
        }
    }

    /** {@code [x, y]} in pixels. */
    private CameraZones.Point point(Node node) {
        List<Node> xy = sequence(node, "a point").getValue();
        if (xy.size() != 2) {
            throw error(node, "a point is [x, y], in pixels");
        }
        try {
            return new CameraZones.Point(Double.parseDouble(scalar(xy.get(0), "x")),
                    Double.parseDouble(scalar(xy.get(1), "y")));
        } catch (NumberFormatException e) {
            throw error(node, "a point is [x, y], two numbers of pixels");
        }
    }

    /** Seconds: {@code 30}, {@code 1.5}, or an ISO-8601 duration such as {@code PT2M}. */
    private Duration seconds(Node node) {
        String text = scalar(node, "loiter");
        try {
            return text.startsWith("P") ? Duration.parse(text)
                    : Duration.ofMillis(Math.round(Double.parseDouble(text) * 1000));
        } catch (RuntimeException e) {
            throw error(node, "loiter is seconds (e.g. 30) or an ISO-8601 duration (e.g. PT2M), not " + text);
        }
    }

    private Pipeline pipeline(Node node) {
        MappingNode map = mapping(node, "a pipeline");
        requireKeys(map, Set.of("name", "cameras", "stages"), "a pipeline");
        String name = scalar(value(map, "name").orElseThrow(() -> error(node, "the pipeline needs a name:")), "name");
        Node cameraNode = value(map, "cameras").orElseThrow(() -> error(node, "pipeline " + name
                + " needs cameras: a list of camera ids, or [\"*\"] for every camera no other pipeline lists"));
        Set<String> cameras = new LinkedHashSet<>();
        for (Node camera : sequence(cameraNode, "cameras").getValue()) {
            cameras.add(scalar(camera, "a camera id"));
        }
        Node stageNode = value(map, "stages").orElseThrow(() -> error(node, "pipeline " + name
                + " needs stages: a list of UDFs"));
        List<Pipeline.Stage> stages = new ArrayList<>();
        for (Node stage : sequence(stageNode, "stages").getValue()) {
            stages.add(stage(stage));
        }
        try {
            return new Pipeline(name, stages, cameras, line(node));
        } catch (IllegalArgumentException e) {
            throw error(node, e.getMessage());
        }
    }

    /** {@code - face-annotate}, or {@code - udf: NAME} with optional {@code config:} and {@code outputs:}. */
    private Pipeline.Stage stage(Node node) {
        try {
            if (node instanceof ScalarNode) {
                return new Pipeline.Stage(scalar(node, "a stage"), Optional.empty(), Set.of(), line(node));
            }
            MappingNode map = mapping(node, "a stage");
            requireKeys(map, Set.of("udf", "config", "outputs"), "a stage");
            String udf = scalar(value(map, "udf").orElseThrow(() -> error(node, "the stage needs udf: NAME")),
                    "udf");
            Optional<String> config = value(map, "config").map(this::config);
            Set<String> outputs = new LinkedHashSet<>();
            Optional<Node> outputNode = value(map, "outputs");
            if (outputNode.isPresent()) {
                for (Node output : sequence(outputNode.get(), "outputs").getValue()) {
                    outputs.add(scalar(output, "an output name"));
                }
            }
            return new Pipeline.Stage(udf, config, outputs, line(node));
        } catch (IllegalArgumentException e) {
            if (e.getMessage().startsWith(source)) {
                throw e;
            }
            throw error(node, e.getMessage());
        }
    }

    /** The stage's {@code config:} mapping as JSON text, the form a UDF's init reads. */
    private String config(Node node) {
        if (!(node instanceof MappingNode)) {
            throw error(node, "config must be a mapping (a JSON object), e.g. config: {fps: 2}");
        }
        String json;
        try {
            json = JSON.writeValueAsString(json(node));
        } catch (IOException e) {
            throw error(node, "config cannot be written as JSON: " + e.getMessage());
        }
        if (json.getBytes(StandardCharsets.UTF_8).length > UdfDeployment.MAX_CONFIG_BYTES) {
            throw error(node, "config is larger than " + UdfDeployment.MAX_CONFIG_BYTES + " bytes as JSON: keep "
                    + "data out of it");
        }
        return json;
    }

    private JsonNode json(Node node) {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        if (node instanceof MappingNode map) {
            ObjectNode object = nodes.objectNode();
            for (NodeTuple tuple : map.getValue()) {
                object.set(scalar(tuple.getKeyNode(), "a config key"), json(tuple.getValueNode()));
            }
            return object;
        }
        if (node instanceof SequenceNode list) {
            var array = nodes.arrayNode();
            list.getValue().forEach(item -> array.add(json(item)));
            return array;
        }
        String text = ((ScalarNode) node).getValue();
        Tag tag = node.getTag();
        try {
            if (Tag.NULL.equals(tag)) {
                return nodes.nullNode();
            } else if (Tag.BOOL.equals(tag)) {
                return nodes.booleanNode(Boolean.parseBoolean(text.toLowerCase(Locale.ROOT)));
            } else if (Tag.INT.equals(tag)) {
                return nodes.numberNode(new BigInteger(text.replace("_", "")));
            } else if (Tag.FLOAT.equals(tag)) {
                return nodes.numberNode(Double.parseDouble(text.replace("_", "")));
            }
        } catch (NumberFormatException e) {
            throw error(node, "'" + text + "' is not a number JSON can hold: quote it to pass it as a string");
        }
        return nodes.textNode(text);
    }

    private MappingNode mapping(Node node, String what) {
        if (node instanceof MappingNode map) {
            return map;
        }
        throw error(node, what + " must be a mapping (key: value lines)");
    }

    private SequenceNode sequence(Node node, String what) {
        if (node instanceof SequenceNode list) {
            return list;
        }
        throw error(node, what + " must be a list ([a, b] or lines starting with -)");
    }

    private String scalar(Node node, String what) {
        if (node instanceof ScalarNode scalar && !Tag.NULL.equals(node.getTag())) {
            return scalar.getValue();
        }
        throw error(node, what + " must be a single value");
    }

    private Optional<Node> value(MappingNode map, String key) {
        return map.getValue().stream()
                .filter(tuple -> tuple.getKeyNode() instanceof ScalarNode k && k.getValue().equals(key))
                .map(NodeTuple::getValueNode)
                .findFirst();
    }

    private void requireKeys(MappingNode map, Set<String> allowed, String what) {
        for (NodeTuple tuple : map.getValue()) {
            String key = scalar(tuple.getKeyNode(), "a key");
            if (!allowed.contains(key)) {
                throw error(tuple.getKeyNode(), "unknown key " + key + " in " + what + ": expected "
                        + String.join(", ", allowed.stream().sorted().toList()));
            }
        }
    }

    private IllegalArgumentException error(Node node, String message) {
        return new IllegalArgumentException(source + " line " + line(node) + ": " + message);
    }

    private static int line(Node node) {
        return node.getStartMark().getLine() + 1;
    }
}
