package io.sightline.schemas.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Optional;

/**
 * Confluent Schema Registry's {@code _schemas} key/value JSON, byte for byte as Confluent writes it (field order
 * included: compaction keeps the last value per key bytes, so our keys must equal theirs).
 *
 * <pre>
 * {"keytype":"SCHEMA","subject":S,"version":V,"magic":1} → {"subject":S,"version":V,"id":ID,"schema":TEXT,"deleted":false}
 * {"keytype":"CONFIG","subject":S|null,"magic":0}        → {"compatibilityLevel":"BACKWARD"}
 * {"keytype":"DELETE_SUBJECT","subject":S,"magic":0}      → {"subject":S,"version":V}
 * {"keytype":"NOOP","magic":0}                            → null (written by Confluent at start; ignored)
 * </pre>
 *
 * A null value is a tombstone. {@code schemaType} is absent for Avro, as Confluent writes it.
 */
public final class SchemasTopicCodec {
    private static final ObjectMapper JSON = new ObjectMapper();

    private SchemasTopicCodec() {
    }

    /** A key and value as they go on the topic; the value is null for a tombstone. */
    public record Encoded(byte[] key, byte[] value) {
    }

    public static Encoded encode(SchemasRecord record) {
        if (record instanceof SchemasRecord.SchemaVersion v) {
            return new Encoded(schemaKey(v.subject(), v.version()), bytes(JSON.createObjectNode()
                    .put("subject", v.subject())
                    .put("version", v.version())
                    .put("id", v.id())
                    .put("schema", v.schema())
                    .put("deleted", v.deleted())));
        }
        if (record instanceof SchemasRecord.SchemaVersionRemoved v) {
            return new Encoded(schemaKey(v.subject(), v.version()), null);
        }
        if (record instanceof SchemasRecord.Config c) {
            return new Encoded(configKey(c.subject()), c.level() == null ? null
                    : bytes(JSON.createObjectNode().put("compatibilityLevel", c.level().name())));
        }
        SchemasRecord.SubjectDeleted d = (SchemasRecord.SubjectDeleted) record;
        return new Encoded(
                bytes(JSON.createObjectNode().put("keytype", "DELETE_SUBJECT").put("subject", d.subject())
                        .put("magic", 0)),
                bytes(JSON.createObjectNode().put("subject", d.subject()).put("version", d.version())));
    }

    /**
     * Reads one topic record. Empty for entries this registry has no use for (NOOP, modes, contexts, other
     * schema types' extras); {@link MalformedEntryException} for bytes that are not the layout at all.
     */
    public static Optional<SchemasRecord> decode(byte[] key, byte[] value) {
        JsonNode k = tree(key, "key");
        JsonNode v = value == null ? null : tree(value, "value");
        String keyType = k.path("keytype").asText("");
        return switch (keyType) {
            case "SCHEMA" -> Optional.of(schema(k, v));
            case "CONFIG" -> Optional.of(config(k, v));
            case "DELETE_SUBJECT" -> v == null ? Optional.empty()
                    : Optional.of(new SchemasRecord.SubjectDeleted(text(k, "subject"), integer(v, "version")));
            default -> Optional.empty();
        };
    }

    private static SchemasRecord schema(JsonNode key, JsonNode value) {
        String subject = text(key, "subject");
        int version = integer(key, "version");
        if (value == null) {
            return new SchemasRecord.SchemaVersionRemoved(subject, version);
        }
        String schemaType = value.path("schemaType").asText("AVRO");
        if (!schemaType.equals("AVRO")) {
            throw new MalformedEntryException("schemaType " + schemaType + " (only AVRO is served)");
        }
        return new SchemasRecord.SchemaVersion(subject, version, integer(value, "id"), text(value, "schema"),
                value.path("deleted").asBoolean(false));
    }

    private static SchemasRecord config(JsonNode key, JsonNode value) {
        JsonNode subject = key.get("subject");
        String name = subject == null || subject.isNull() ? null : subject.asText();
        if (value == null) {
            return new SchemasRecord.Config(name, null);
        }
        JsonNode level = value.get("compatibilityLevel");
        try {
            return new SchemasRecord.Config(name, level == null ? null : CompatibilityLevel.parse(level.asText()));
        } catch (RegistryRequestException e) {
            throw new MalformedEntryException("unknown compatibilityLevel " + level);
        }
    }

    private static byte[] schemaKey(String subject, int version) {
        return bytes(JSON.createObjectNode()
                .put("keytype", "SCHEMA").put("subject", subject).put("version", version).put("magic", 1));
    }

    private static byte[] configKey(String subject) {
        ObjectNode key = JSON.createObjectNode().put("keytype", "CONFIG");
        if (subject == null) {
            key.putNull("subject");
        } else {
            key.put("subject", subject);
        }
        return bytes(key.put("magic", 0));
    }

    private static JsonNode tree(byte[] bytes, String what) {
        if (bytes == null) {
            throw new MalformedEntryException("null " + what);
        }
        try {
            JsonNode node = JSON.readTree(bytes);
            if (node == null || !node.isObject()) {
                throw new MalformedEntryException(what + " is not a JSON object");
            }
            return node;
        } catch (IOException e) {
            throw new MalformedEntryException(what + " is not JSON: " + e.getMessage());
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            throw new MalformedEntryException("\"" + field + "\" missing or not a string in " + node);
        }
        return value.asText();
    }

    private static int integer(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.canConvertToInt()) {
            throw new MalformedEntryException("\"" + field + "\" missing or not an int in " + node);
        }
        return value.asInt();
    }

    private static byte[] bytes(JsonNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write JSON " + node, e);
        }
    }

    /** An entry of the topic this registry cannot read; it is logged and skipped. */
    public static final class MalformedEntryException extends RuntimeException {
        MalformedEntryException(String message) {
            super(message);
        }
    }
}
