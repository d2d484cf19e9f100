package io.sightline.stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sightline.model.ModelManifest;
import io.sightline.model.ModelStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Objects;

/**
 * One {@code models activate}: the model version a role runs from now on. In the compacted models topic the role is
 * the key and the rest the JSON value {@code {"model": "NAME@VERSION", "sha256": "...", "activatedAt": "ISO-8601"}}.
 *
 * @param role   what the model does in a processor, e.g. {@link ModelStore#FACE_DETECTOR_ROLE}
 * @param model  {@code NAME@VERSION} as the catalog names it
 * @param sha256 the model file's digest as the activating catalog pins it; a processor whose catalog pins another
 *               refuses the activation
 */
public record ModelActivation(String role, String model, String sha256, Instant activatedAt) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public ModelActivation {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(sha256, "sha256");
        Objects.requireNonNull(activatedAt, "activatedAt");
    }

    /** The activation of a face detector version, now. */
    public static ModelActivation faceDetector(ModelManifest manifest, Instant at) {
        return new ModelActivation(ModelStore.FACE_DETECTOR_ROLE, manifest.label(), manifest.sha256(), at);
    }

    public byte[] toJson() {
        return JSON.createObjectNode().put("model", model).put("sha256", sha256)
                .put("activatedAt", activatedAt.toString()).toString().getBytes(StandardCharsets.UTF_8);
    }

    /** @throws IllegalArgumentException if the value is not the JSON {@link #toJson} writes */
    public static ModelActivation fromJson(String role, byte[] json) {
        try {
            JsonNode node = JSON.readTree(json);
            return new ModelActivation(role, text(node, "model"), text(node, "sha256"),
                    Instant.parse(text(node, "activatedAt")));
        } catch (IOException | DateTimeParseException e) {
            throw new IllegalArgumentException("activation of " + role + " is not valid JSON with model, sha256 and "
                    + "activatedAt: " + e.getMessage(), e);
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            throw new IllegalArgumentException("activation has no " + field);
        }
        return value.asText();
    }
}
