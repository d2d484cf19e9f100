package io.sightline.model;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The model manifests shipped in the repository ({@code io/sightline/model/manifests/index} lists their files), read
 * once. A model may have several versions; the first one listed is its default.
 */
public final class ModelCatalog {

    private static final String ROOT = "/io/sightline/model/manifests/";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ModelCatalog BUNDLED = load();

    private final Map<String, ModelManifest> manifests;

    private ModelCatalog(Map<String, ModelManifest> manifests) {
        this.manifests = manifests;
    }

    public static ModelCatalog bundled() {
        return BUNDLED;
    }

    /** Every version of every model, defaults first. */
    public Collection<ModelManifest> all() {
        return manifests.values();
    }

    /**
     * The manifest a reference names: {@code NAME@VERSION} exactly, or {@code NAME} for that model's default version.
     */
    public Optional<ModelManifest> find(String ref) {
        if (ref.contains("@")) {
            return Optional.ofNullable(manifests.get(ref));
        }
        return manifests.values().stream().filter(manifest -> manifest.name().equals(ref)).findFirst();
    }

    /** As {@link #find}, or an exception listing the models and versions there are. */
    public ModelManifest get(String ref) {
        return find(ref).orElseThrow(() -> new IllegalArgumentException(
                "no model " + (ref.contains("@") ? ref : "named " + ref) + "; known models: "
                        + String.join(", ", manifests.keySet())));
    }

    private static ModelCatalog load() {
        Map<String, ModelManifest> manifests = new LinkedHashMap<>();
        for (String file : read("index").split("\\R")) {
            if (!file.isBlank()) {
                ModelManifest manifest = parse(file.strip(), read(file.strip()));
                if (manifests.put(manifest.label(), manifest) != null) {
                    throw new IllegalStateException("model manifest " + file + " repeats " + manifest.label());
                }
            }
        }
        return new ModelCatalog(Collections.unmodifiableMap(manifests));
    }

    /** Parses one manifest; every field but {@code description}, {@code licenseUrl} and {@code defaults} is required. */
    static ModelManifest parse(String origin, String json) {
        try {
            JsonNode node = JSON.readTree(json);
            return new ModelManifest(
                    required(node, "name", origin),
                    required(node, "version", origin),
                    node.path("description").asText(""),
                    ModelManifest.Format.of(required(node, "format", origin)),
                    required(node, "file", origin),
                    Long.parseLong(required(node, "sizeBytes", origin)),
                    required(node, "sha256", origin),
                    required(node, "license", origin),
                    node.hasNonNull("licenseUrl") ? URI.create(node.get("licenseUrl").asText()) : null,
                    URI.create(required(node, "sourceUrl", origin)),
                    JSON.convertValue(node.path("inputs"), new TypeReference<LinkedHashMap<String, String>>() {}),
                    JSON.convertValue(node.path("outputs"), new TypeReference<LinkedHashMap<String, String>>() {}),
                    node.has("defaults")
                            ? JSON.convertValue(node.get("defaults"), new TypeReference<LinkedHashMap<String, Object>>() {})
                            : Map.of());
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalStateException("model manifest " + origin + " is invalid: " + e.getMessage(), e);
        }
    }

    private static String required(JsonNode node, String field, String origin) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull() || value.asText().isBlank()) {
            throw new IllegalArgumentException("field " + field + " is missing in " + origin);
        }
        return value.asText();
    }

    private static String read(String resource) {
        try (InputStream in = ModelCatalog.class.getResourceAsStream(ROOT + resource)) {
            if (in == null) {
                throw new IllegalStateException("model manifest " + ROOT + resource + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read model manifest " + resource, e);
        }
    }
}
