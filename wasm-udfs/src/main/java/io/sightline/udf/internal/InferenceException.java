package io.sightline.udf.internal;

/** The face detector failed while a UDF waited for it; carries the detector's exception out of the Wasm call. */
public final class InferenceException extends RuntimeException {

    InferenceException(Throwable cause) {
        super(cause.getClass().getSimpleName() + ": " + cause.getMessage(), cause);
    }
}
