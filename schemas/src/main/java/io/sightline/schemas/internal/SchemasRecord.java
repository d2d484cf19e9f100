package io.sightline.schemas.internal;

/**
 * One entry of the registry's journal, the compacted {@code _schemas} topic, in Confluent Schema Registry's own
 * layout (Karapace reads it too). {@link SchemasTopicCodec} turns entries into the topic's JSON keys and values.
 */
public sealed interface SchemasRecord {

    /** A version of a subject. {@code deleted} marks a soft-deleted version, whose id still resolves. */
    record SchemaVersion(String subject, int version, int id, String schema, boolean deleted) implements SchemasRecord {
    }

    /** A tombstone for a version: it is gone for good (a hard delete by another registry). */
    record SchemaVersionRemoved(String subject, int version) implements SchemasRecord {
    }

    /** The compatibility level of a subject, or the global one when {@code subject} is null; null level = unset. */
    record Config(String subject, CompatibilityLevel level) implements SchemasRecord {
    }

    /** Every version of the subject up to {@code version} is soft-deleted. */
    record SubjectDeleted(String subject, int version) implements SchemasRecord {
    }
}
