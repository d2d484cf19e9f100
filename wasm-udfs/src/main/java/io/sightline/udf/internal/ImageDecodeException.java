package io.sightline.udf.internal;

import io.sightline.udf.FailureCode;

/** A frame's payload is not the image it claims to be: bad input, reported per frame. */
public final class ImageDecodeException extends Exception {

    private final FailureCode code;

    ImageDecodeException(FailureCode code, String message) {
        super(message);
        this.code = code;
    }

    public FailureCode code() {
        return code;
    }
}
