package io.sightline.schemas;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Writes generated Avro records in the Confluent wire format. The schema is registered (or, without auto-register,
 * looked up) once per subject; its id is then cached, so the registry is not on the per-record path. Thread-safe.
 * A null record serializes to null (a tombstone).
 */
public final class ConfluentAvroSerializer<T extends SpecificRecord> implements Serializer<T> {
    private final SchemaRegistryClient registry;
    private final SerdeType serdeType;
    private final boolean autoRegister;
    private final Schema schema;
    private final SpecificDatumWriter<T> writer;
    private final Map<String, Integer> idsBySubject = new ConcurrentHashMap<>();

    /** A serializer that registers its schema on first use, as Confluent's does by default. */
    public ConfluentAvroSerializer(SchemaRegistryClient registry, Class<T> type, SerdeType serdeType) {
        this(registry, type, serdeType, true);
    }

    /**
     * @param autoRegister false for registries where schemas are registered by an operator: the serializer then
     *                     only looks its schema up and fails with {@link SchemaNotFoundException} if it is missing
     */
    public ConfluentAvroSerializer(SchemaRegistryClient registry, Class<T> type, SerdeType serdeType,
            boolean autoRegister) {
        SpecificData model = SpecificData.getForClass(type);
        this.registry = registry;
        this.serdeType = serdeType;
        this.autoRegister = autoRegister;
        this.schema = model.getSchema(type);
        this.writer = new SpecificDatumWriter<>(schema, model);
    }

    @Override
    public byte[] serialize(String topic, T record) {
        if (record == null) {
            return null;
        }
        int schemaId = idsBySubject.computeIfAbsent(serdeType.subject(topic), this::schemaId);
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        out.write(ConfluentWireFormat.MAGIC_BYTE);
        out.writeBytes(ByteBuffer.allocate(Integer.BYTES).putInt(schemaId).array());
        try {
            BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
            writer.write(record, encoder);
            encoder.flush();
        } catch (IOException | RuntimeException e) {
            throw new SerializationException(
                    "cannot write " + schema.getName() + " for topic " + topic + ": " + e.getMessage(), e);
        }
        return out.toByteArray();
    }

    private int schemaId(String subject) {
        return autoRegister ? registry.register(subject, schema) : registry.lookup(subject, schema).id();
    }
}
