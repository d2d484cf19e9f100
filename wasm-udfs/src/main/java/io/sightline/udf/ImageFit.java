package io.sightline.udf;

/** What became of the annotated image a UDF emitted, given {@link ImageLimits#maxImageBytes()}. */
public enum ImageFit {
    /** Lossless PNG at the size it was drawn. */
    FULL,
    /** Re-encoded as JPEG, at lower quality and possibly downscaled, to fit. */
    REDUCED,
    /** Could not be made to fit and is not sent. */
    OMITTED,
    /** The UDF emitted no image. */
    NONE
}
