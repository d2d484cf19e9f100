package io.sightline.udf;

/**
 * A UDF built into this host: what {@code udf list} shows of it before anything is deployed.
 *
 * @param bytes       size of its .wasm module
 * @param description what it does, in one line
 */
public record BundledUdf(UdfInfo info, int bytes, String description) {}
