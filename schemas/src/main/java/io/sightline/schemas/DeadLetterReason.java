package io.sightline.schemas;

/**
 * Why a record went to the dead-letter topic: the {@code reasonCode} of a {@code DeadLetter}, stable for alerting.
 * The one list of reasons for every stage (ingest, processor, {@code detect}). The UDF host cannot see this module
 * (it must stay free of Kafka), so it reports its own failure categories and the processor maps them here in one
 * exhaustive switch.
 */
public enum DeadLetterReason {
    /** Ingest: the file content is not a JPEG or PNG. */
    UNSUPPORTED_FORMAT,
    /** Ingest: the image header is broken or claims an impossible size. */
    MALFORMED_HEADER,
    /** A record that cannot fit under the cluster's record limit (its bytes are replaced by size and sha256). */
    TOO_LARGE,
    /** The value is not a Confluent wire-format Frame (null, bad magic byte, unknown schema id, corrupt Avro). */
    WIRE_FORMAT,
    /** The payload is not a complete image of its declared encoding (corrupt, truncated, zero or negative size). */
    IMAGE_DECODE,
    /** The payload's size disagrees with the declared width and height. */
    IMAGE_SIZE_MISMATCH,
    /** The image has more pixels than the frame limits allow, even decoded subsampled. */
    IMAGE_TOO_LARGE,
    /** The UDF trapped: unreachable, out-of-bounds access, stack exhaustion and the like. */
    UDF_TRAP,
    /** The UDF ran past its time budget and was interrupted. */
    UDF_TIMEOUT,
    /** The UDF tried to grow its linear memory past its cap. */
    UDF_MEMORY,
    /** The UDF broke the host ABI: unknown handle, bad argument, out-of-range index. */
    UDF_ABI,
    /** The UDF returned an error status of its own. */
    UDF_ERROR,
    /** The face detector failed on this frame. */
    INFERENCE,
    /**
     * A UDF chose not to emit anything for this frame (a filter such as frame-sampler): deliberate, not a failure.
     * Such a dead letter carries the frame's size and sha256 instead of its bytes.
     */
    DROPPED_BY_UDF,
    /** A UDF emitted to an output its pipeline stage does not declare (the pipelines file's {@code outputs}). */
    UNDECLARED_OUTPUT,
    /** An output record could not be serialized (not the registry being down: that fails the task). */
    SERIALIZATION,
    /** An exception nobody classified; the record is kept so it can be replayed once the bug is fixed. */
    INTERNAL
}
