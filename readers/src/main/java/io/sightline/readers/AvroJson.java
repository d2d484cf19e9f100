package io.sightline.readers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericContainer;
import org.apache.avro.generic.GenericRecord;

/**
 * Plain JSON for Avro records, for files people read (events.jsonl): field names as in the schema, times as ISO-8601,
 * unions without Avro's type wrappers, and bytes as their length only (images belong in image files).
 */
public final class AvroJson {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private AvroJson() {}

    public static ObjectNode toJson(GenericRecord record) {
        ObjectNode node = JSON.objectNode();
        for (Schema.Field field : record.getSchema().getFields()) {
            node.set(field.name(), value(record.get(field.pos())));
        }
        return node;
    }

    private static JsonNode value(Object v) {
        if (v == null) {
            return JSON.nullNode();
        } else if (v instanceof GenericRecord r) {
            return toJson(r);
        } else if (v instanceof Instant t) {
            return JSON.textNode(t.toString());
        } else if (v instanceof ByteBuffer b) {
            return JSON.objectNode().put("bytes", b.remaining());
        } else if (v instanceof Collection<?> items) {
            ArrayNode array = JSON.arrayNode();
            items.forEach(item -> array.add(value(item)));
            return array;
        } else if (v instanceof Map<?, ?> map) {
            ObjectNode object = JSON.objectNode();
            map.forEach((k, item) -> object.set(k.toString(), value(item)));
            return object;
        } else if (v instanceof Integer i) {
            return JSON.numberNode(i);
        } else if (v instanceof Long l) {
            return JSON.numberNode(l);
        } else if (v instanceof Float f) {
            return JSON.numberNode(f);
        } else if (v instanceof Double d) {
            return JSON.numberNode(d);
        } else if (v instanceof Boolean b) {
            return JSON.booleanNode(b);
        } else if (v instanceof GenericContainer || v instanceof CharSequence || v instanceof Enum<?>) {
            return JSON.textNode(v.toString());
        }
        throw new IllegalArgumentException("no JSON form for " + v.getClass().getName());
    }
}
