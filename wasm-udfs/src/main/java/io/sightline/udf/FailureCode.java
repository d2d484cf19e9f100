package io.sightline.udf;

/** Why a frame could not be processed; each code is a distinct dead-letter reason. */
public enum FailureCode {
    /** The payload is not a complete image of its declared encoding (corrupt, truncated, unsupported). */
    IMAGE_DECODE,
    /** The payload's size disagrees with the declared width and height. */
    IMAGE_SIZE_MISMATCH,
    /** The UDF trapped: unreachable, out-of-bounds access, stack exhaustion and the like. */
    UDF_TRAP,
    /** The UDF ran past its time budget and was interrupted. */
    UDF_TIMEOUT,
    /** The UDF broke the host ABI: unknown handle, bad argument, out-of-range index. */
    UDF_ABI,
    /** The UDF returned an error status of its own. */
    UDF_ERROR,
    /** The face detector failed on this frame. */
    INFERENCE
}
