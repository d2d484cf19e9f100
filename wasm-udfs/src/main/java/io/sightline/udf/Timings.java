package io.sightline.udf;

/**
 * Where one frame's time went, in milliseconds.
 *
 * @param decodeMs    decoding the frame's payload into pixels
 * @param udfMs       inside the Wasm call, host drawing included, inference excluded
 * @param inferenceMs the face detector, called by the UDF through the host
 * @param totalMs     the whole {@link UdfInstance#process} call, encoding the annotated image included
 * @param inferences  times the detector ran; a stage asking for faces another stage of its chain already found
 *                    reuses them and adds none
 */
public record Timings(double decodeMs, double udfMs, double inferenceMs, double totalMs, int inferences) {

    /** No time and no inference: what a replay writes, so replaying a range twice gives the same events. */
    public static final Timings NONE = new Timings(0, 0, 0, 0, 0);
}
