package io.sightline.stream;

/**
 * Reason codes the processor itself assigns. Failures reported by the UDF host keep the host's code
 * ({@code io.sightline.udf.FailureCode}, e.g. IMAGE_DECODE, UDF_TRAP); files refused at ingest keep the ingest code.
 */
enum DeadLetterReason {
    /** The value is not a Frame in the Confluent wire format (null, bad magic byte, unknown schema id, corrupt Avro). */
    WIRE_FORMAT,
    /** The UDF chose not to emit anything for this frame. */
    DROPPED_BY_UDF,
    /** An unexpected exception in the host; the record is kept so it can be replayed once fixed. */
    INTERNAL
}
