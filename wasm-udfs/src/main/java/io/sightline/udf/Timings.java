package io.sightline.udf;

/**
 * Where one frame's time went, in milliseconds.
 *
 * @param decodeMs    decoding the frame's payload into pixels
 * @param udfMs       inside the Wasm call, host drawing included, inference excluded
 * @param inferenceMs the face detector, called by the UDF through the host
 * @param totalMs     the whole {@link UdfInstance#process} call, encoding the annotated image included
 */
public record Timings(double decodeMs, double udfMs, double inferenceMs, double totalMs) {}
