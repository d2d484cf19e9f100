package io.sightline.udf;

/**
 * Why a frame could not be processed. The processor maps each code to the contract's dead-letter reason in one place
 * (this module stays free of Kafka, so it cannot use that enum itself).
 */
public enum FailureCode {
    /** The payload is not a complete image of its declared encoding (corrupt, truncated, unsupported, no pixels). */
    IMAGE_DECODE,
    /** The image has more pixels than {@link ImageLimits#maxPixels()}. */
    IMAGE_TOO_LARGE,
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
