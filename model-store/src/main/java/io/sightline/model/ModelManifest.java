package io.sightline.model;

import java.net.URI;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the repository knows about a model without its weights: identity, format, the tensors a loader needs, the
 * default parameters, and the pinned file (path, size, sha256, licence, where to fetch it). Shipped as JSON under
 * {@code io/sightline/model/manifests/}; the weights never are.
 *
 * @param inputs  tensor (operation) names fed, with a one-line description each
 * @param outputs tensor (operation) names fetched, with a one-line description each
 * @param defaults default parameters of the model, by name (numbers or lists of numbers)
 */
public record ModelManifest(
        String name,
        String version,
        String description,
        Format format,
        String file,
        long sizeBytes,
        String sha256,
        String license,
        URI licenseUrl,
        URI sourceUrl,
        Map<String, String> inputs,
        Map<String, String> outputs,
        Map<String, Object> defaults) {

    /** How the weights are stored. */
    public enum Format {
        FROZEN_GRAPHDEF("frozen-graphdef"),
        SAVED_MODEL("saved-model");

        private final String label;

        Format(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }

        static Format of(String label) {
            for (Format format : values()) {
                if (format.label.equals(label)) {
                    return format;
                }
            }
            throw new IllegalArgumentException("format must be frozen-graphdef or saved-model, got " + label);
        }
    }

    public ModelManifest {
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(license, "license");
        if (sizeBytes <= 0) {
            throw new IllegalArgumentException("sizeBytes of model " + name + " must be positive, got " + sizeBytes);
        }
        if (outputs.isEmpty() || inputs.isEmpty()) {
            throw new IllegalArgumentException("model " + name + " must name its input and output tensors");
        }
        inputs = ordered(inputs);
        outputs = ordered(outputs);
        defaults = ordered(defaults);
    }

    /** An unmodifiable copy that keeps the manifest's order, so listings read as the manifest does. */
    private static <V> Map<String, V> ordered(Map<String, V> map) {
        return Collections.unmodifiableMap(new LinkedHashMap<>(map));
    }

    /** The pinned file, as the resolver looks for it. */
    public ModelSpec spec() {
        return new ModelSpec(name, version, file, sha256, sourceUrl, sizeBytes);
    }

    public ModelInfo info() {
        return new ModelInfo(name, version, sha256);
    }

    /** {@code name@version}, as {@code models activate} and events name a model. */
    public String label() {
        return name + "@" + version;
    }

    /** A numeric default, or {@code fallback} when the manifest has none. */
    public float defaultFloat(String key, float fallback) {
        Object value = defaults.get(key);
        return value instanceof Number number ? number.floatValue() : fallback;
    }

    /** A list-of-numbers default, or {@code fallback} when the manifest has none. */
    public float[] defaultFloats(String key, float[] fallback) {
        if (!(defaults.get(key) instanceof List<?> list)) {
            return fallback.clone();
        }
        float[] values = new float[list.size()];
        for (int i = 0; i < values.length; i++) {
            if (!(list.get(i) instanceof Number number)) {
                throw new IllegalArgumentException("default " + key + " of model " + name + " must be numbers");
            }
            values[i] = number.floatValue();
        }
        return values;
    }
}
