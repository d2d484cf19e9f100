package io.sightline.schemas;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The one serde family for the generated Avro records: Confluent wire format against a schema registry. An instance
 * is bound to one registry and hands out value (de)serializers; the static factories build Kafka {@link Serde}s.
 */
public final class SightlineSerdes {

    private final SchemaRegistryClient registry;

    private SightlineSerdes(SchemaRegistryClient registry) {
        this.registry = registry;
    }

    public static SightlineSerdes forRegistry(SchemaRegistryClient registry) {
        return new SightlineSerdes(registry);
    }

    /** @param registryUrls one or more registry URLs, comma-separated */
    public static SightlineSerdes forUrls(String registryUrls) {
        return new SightlineSerdes(SchemaRegistryClient.forUrls(registryUrls));
    }

    /** A value serializer (subject {@code <topic>-value}), auto-registering the schema. */
    public <T extends SpecificRecord> ConfluentAvroSerializer<T> serializer(Class<T> type) {
        return new ConfluentAvroSerializer<>(registry, type, SerdeType.VALUE);
    }

    /** A deserializer resolving the writer's schema (by the id in the record) to the given class. */
    public <T extends SpecificRecord> ConfluentAvroDeserializer<T> deserializer(Class<T> type) {
        return new ConfluentAvroDeserializer<>(registry, type);
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
