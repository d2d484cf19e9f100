package io.sightline.udf.internal;

/** The guest broke the host ABI: unknown handle, out-of-range index, malformed record. Ends the frame's call. */
public final class UdfAbiException extends RuntimeException {

    UdfAbiException(String message) {
        super(message);
    }
}
