package io.sightline.schemas;

import io.sightline.schemas.internal.BoundedBinaryDecoder;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads Confluent wire-format records into a generated Avro class. The writer's schema is fetched by the id in the
 * header (cached) and resolved to the class's schema, so records written with older or newer compatible schemas
 * read fine. Bytes that cannot be read throw {@link WireFormatException}; a registry that cannot be reached throws
 * {@link SchemaRegistryException} instead, because the record itself may be fine. Thread-safe.
 */
public final class ConfluentAvroDeserializer<T extends SpecificRecord> implements Deserializer<T> {
    private final SchemaRegistryClient registry;
    private final SpecificData model;
    private final Schema readerSchema;
    private final Map<Integer, SpecificDatumReader<T>> readersBySchemaId = new ConcurrentHashMap<>();

    public ConfluentAvroDeserializer(SchemaRegistryClient registry, Class<T> type) {
        this.registry = registry;
        this.model = SpecificData.getForClass(type);
        this.readerSchema = model.getSchema(type);
    }

    @Override
    public T deserialize(String topic, byte[] data) {
        int schemaId = schemaIdFromHeader(data);
        SpecificDatumReader<T> reader = readersBySchemaId.computeIfAbsent(schemaId, this::readerFor);
        var decoder = new BoundedBinaryDecoder(
                data, ConfluentWireFormat.HEADER_SIZE, data.length - ConfluentWireFormat.HEADER_SIZE);
        T record;
        boolean fullyRead;
        try {
            record = reader.read(null, decoder);
            fullyRead = decoder.isEnd();
        } catch (IOException | RuntimeException e) {
            throw new WireFormatException(WireFormatException.Reason.CORRUPT_AVRO,
                    "Avro body does not decode with schema id " + schemaId + ": " + e, e);
        }
        if (!fullyRead) {
            throw new WireFormatException(WireFormatException.Reason.CORRUPT_AVRO,
                    "bytes left over after the Avro body of schema id " + schemaId);
        }
        return record;
    }

    private static int schemaIdFromHeader(byte[] data) {
        if (data == null) {
            throw new WireFormatException(WireFormatException.Reason.NULL_PAYLOAD, "record has no bytes (null)");
        }
        if (data.length < ConfluentWireFormat.HEADER_SIZE) {
            throw new WireFormatException(WireFormatException.Reason.TOO_SHORT,
                    data.length + " bytes, shorter than the 5-byte wire-format header");
        }
        if (data[0] != ConfluentWireFormat.MAGIC_BYTE) {
            throw new WireFormatException(WireFormatException.Reason.BAD_MAGIC,
                    String.format("magic byte is 0x%02x, expected 0x00", data[0]));
        }
        return ByteBuffer.wrap(data, 1, Integer.BYTES).getInt();
    }

    private SpecificDatumReader<T> readerFor(int schemaId) {
        Schema writerSchema;
        try {
            writerSchema = registry.schemaById(schemaId);
        } catch (SchemaNotFoundException e) {
            throw new WireFormatException(WireFormatException.Reason.UNKNOWN_SCHEMA_ID,
                    "schema id " + schemaId + " is not in the registry", e);
        }
        var compatibility = SchemaCompatibility.checkReaderWriterCompatibility(readerSchema, writerSchema);
        if (compatibility.getType() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
            throw new WireFormatException(WireFormatException.Reason.INCOMPATIBLE_SCHEMA,
                    "schema id " + schemaId + " cannot be read as " + readerSchema.getFullName() + ": "
                            + compatibility.getResult().getIncompatibilities());
        }
        return new SpecificDatumReader<>(writerSchema, readerSchema, model);
    }
}
