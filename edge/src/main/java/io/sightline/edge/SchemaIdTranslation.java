package io.sightline.edge;

import io.sightline.schemas.SchemaNotFoundException;
import io.sightline.schemas.SchemaRegistryClient;
import io.sightline.schemas.SchemaRegistryException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.apache.avro.Schema;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.data.Schema.Type;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.header.Headers;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.transforms.Transformation;

/**
 * A Kafka Connect transformation for MirrorMaker 2 that makes mirrored Confluent wire-format records decode with the
 * <em>target</em> cluster's schema registry: each value's schema id (magic byte 0, 4-byte big-endian id) is looked
 * up in the source registry, the schema is registered at the target registry under the target topic's value subject
 * ({@code <target topic>-value}), and the id in the record is replaced by the target's. Both lookups are cached, so a
 * running flow asks each registry once per schema.
 *
 * <p>Only records of topics matching {@code topics.regex} are touched; a null value (tombstone) passes as it is.
 * An unreachable registry (or one answering 5xx) is a {@link RetriableException}: Connect retries the record with
 * backoff ({@code errors.retry.timeout=-1} retries for ever), so nothing is dropped while the centre is away. A value
 * that is not in the wire format, or names a schema the source registry does not know, is a {@link DataException}:
 * the record cannot be decoded anywhere and is logged and skipped by Connect's error handling.
 *
 * <p>It also puts the record's offset in the source cluster into the {@value #SOURCE_OFFSET_HEADER} header (8 bytes,
 * big-endian), so the edge can tell how far forwarding has got by reading the last record at the centre.
 */
public final class SchemaIdTranslation implements Transformation<SourceRecord> {

    public static final String SOURCE_REGISTRY = "source.registry.url";
    public static final String TARGET_REGISTRY = "target.registry.url";
    public static final String TOPICS_REGEX = "topics.regex";
    public static final String SOURCE_OFFSET_HEADER = "sightline.source.offset";

    private static final byte MAGIC = 0;
    private static final int HEADER_BYTES = 5;
    private static final ConfigDef CONFIG = new ConfigDef()
            .define(SOURCE_REGISTRY, ConfigDef.Type.STRING, ConfigDef.Importance.HIGH,
                    "Schema registry URL(s) of the cluster records are read from.")
            .define(TARGET_REGISTRY, ConfigDef.Type.STRING, ConfigDef.Importance.HIGH,
                    "Schema registry URL(s) of the cluster records are written to.")
            .define(TOPICS_REGEX, ConfigDef.Type.STRING, ".*", ConfigDef.Importance.MEDIUM,
                    "Target topics whose values are translated; others pass unchanged.");

    private SchemaRegistryClient source;
    private SchemaRegistryClient target;
    private Pattern topics;
    private final Map<SubjectId, Integer> translated = new ConcurrentHashMap<>();

    private record SubjectId(String subject, int sourceId) {
    }

    @Override
    public void configure(Map<String, ?> configs) {
        var values = new org.apache.kafka.common.config.AbstractConfig(CONFIG, configs);
        source = SchemaRegistryClient.forUrls(values.getString(SOURCE_REGISTRY));
        target = SchemaRegistryClient.forUrls(values.getString(TARGET_REGISTRY));
        topics = Pattern.compile(values.getString(TOPICS_REGEX));
    }

    @Override
    public SourceRecord apply(SourceRecord record) {
        if (!topics.matcher(record.topic()).matches()) {
            return record;
        }
        Headers headers = record.headers().duplicate();
        Object offset = record.sourceOffset() == null ? null : record.sourceOffset().get("offset");
        if (offset instanceof Number number) {
            headers.remove(SOURCE_OFFSET_HEADER);
            headers.add(SOURCE_OFFSET_HEADER, ByteBuffer.allocate(Long.BYTES).putLong(number.longValue()).array(),
                    org.apache.kafka.connect.data.Schema.BYTES_SCHEMA);
        }
        Object value = record.value();
        if (value != null) {
            value = translate(record.topic(), toBytes(value));
        }
        return record.newRecord(record.topic(), record.kafkaPartition(), record.keySchema(), record.key(),
                record.valueSchema(), value, record.timestamp(), headers);
    }

    /** The same record bytes with the target registry's id for the schema in place of the source's. */
    byte[] translate(String topic, byte[] value) {
        if (value.length < HEADER_BYTES || value[0] != MAGIC) {
            throw new DataException("record of " + topic + " is not in the Confluent wire format (magic byte 0 and "
                    + "a 4-byte schema id); it cannot be decoded at the target and is not forwarded");
        }
        int sourceId = ByteBuffer.wrap(value, 1, 4).getInt();
        String subject = topic + "-value";
        int targetId = translated.computeIfAbsent(new SubjectId(subject, sourceId), key -> register(subject, sourceId));
        byte[] out = value.clone();
        ByteBuffer.wrap(out, 1, 4).putInt(targetId);
        return out;
    }

    private int register(String subject, int sourceId) {
        Schema schema;
        try {
            schema = source.schemaById(sourceId);
        } catch (SchemaNotFoundException e) {
            throw new DataException("schema id " + sourceId + " is unknown to the source registry "
                    + source.baseUrls() + "; the record cannot be decoded and is not forwarded", e);
        } catch (SchemaRegistryException e) {
            throw retriableOrNot("source", e);
        }
        try {
            return target.register(subject, schema);
        } catch (SchemaRegistryException e) {
            throw retriableOrNot("target", e);
        }
    }

    private static RuntimeException retriableOrNot(String which, SchemaRegistryException e) {
        boolean transientFault = e.httpStatus() == SchemaRegistryException.NO_RESPONSE || e.httpStatus() >= 500;
        String message = "the " + which + " schema registry " + (transientFault ? "is unreachable" : "refused")
                + ": " + e.getMessage();
        return transientFault ? new RetriableException(message, e) : new DataException(message, e);
    }

    private static byte[] toBytes(Object value) {
        if (value instanceof byte[] bytes) {
            return bytes;
        }
        if (value instanceof ByteBuffer buffer) {
            byte[] bytes = new byte[buffer.remaining()];
            buffer.duplicate().get(bytes);
            return bytes;
        }
        throw new DataException("expected bytes (MirrorMaker's ByteArrayConverter), got "
                + value.getClass().getName() + "; a " + Type.BYTES + " value is required");
    }

    @Override
    public ConfigDef config() {
        return CONFIG;
    }

    @Override
    public void close() {
        translated.clear();
    }
}
