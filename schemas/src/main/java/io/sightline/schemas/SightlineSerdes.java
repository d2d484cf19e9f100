package io.sightline.schemas;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/** Kafka serdes for the generated Avro records, in the Confluent wire format against a schema registry. */
public final class SightlineSerdes {
    private SightlineSerdes() {
    }

    /** A serde for record values of the given class (subject {@code <topic>-value}), auto-registering its schema. */
    public static <T extends SpecificRecord> Serde<T> value(Class<T> type, SchemaRegistryClient registry) {
        return serde(type, registry, SerdeType.VALUE);
    }

    /** A serde for record keys of the given class (subject {@code <topic>-key}), auto-registering its schema. */
    public static <T extends SpecificRecord> Serde<T> key(Class<T> type, SchemaRegistryClient registry) {
        return serde(type, registry, SerdeType.KEY);
    }

    private static <T extends SpecificRecord> Serde<T> serde(Class<T> type, SchemaRegistryClient registry,
            SerdeType serdeType) {
        return Serdes.serdeFrom(
                new ConfluentAvroSerializer<>(registry, type, serdeType),
                new ConfluentAvroDeserializer<>(registry, type));
    }
}
