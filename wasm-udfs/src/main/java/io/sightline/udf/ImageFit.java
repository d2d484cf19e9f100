package io.sightline.udf;

/** What became of the annotated image a UDF emitted, given {@link ImageLimits#maxImageBytes()}. */
public enum ImageFit {
    /** At the frame's size in the format asked for: lossless PNG, or JPEG at the configured quality. */
    FULL,
    /** Smaller than the frame: drawn on a subsampled decode, or re-encoded as JPEG (lower quality, downscaled). */
    REDUCED,
    /** Could not be made to fit and is not sent. */
    OMITTED,
    /** The UDF emitted no image. */
    NONE
}
