package io.sightline.schemas;

/**
 * Record bytes that are not a readable Confluent wire-format Avro record. Always bad input: the record should go to
 * the dead-letter topic with its original bytes. A registry outage is never reported this way.
 */
public final class WireFormatException extends RuntimeException {
    /** What exactly was wrong with the bytes. */
    public enum Reason {
        /** No bytes at all (a null value or tombstone where a record was expected). */
        NULL_PAYLOAD,
        /** Fewer bytes than the 5-byte header. */
        TOO_SHORT,
        /** First byte is not the Confluent magic byte 0. */
        BAD_MAGIC,
        /** The registry does not know the schema id in the header. */
        UNKNOWN_SCHEMA_ID,
        /** The writer's schema cannot be resolved to the reader's (a breaking schema change). */
        INCOMPATIBLE_SCHEMA,
        /** The Avro body does not decode with the writer's schema, or has bytes left over. */
        CORRUPT_AVRO
    }

    private final Reason reason;

    public WireFormatException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public WireFormatException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
