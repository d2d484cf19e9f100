package io.sightline.ingest;

import io.sightline.schemas.DeadLetterReason;

/** A file that cannot become a frame: bad input, reported to the dead-letter topic with its reason code. */
public final class RejectedImageException extends Exception {

    private final DeadLetterReason reason;

    /** @param reason one of the ingest reasons: UNSUPPORTED_FORMAT, MALFORMED_HEADER, TOO_LARGE */
    public RejectedImageException(DeadLetterReason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public DeadLetterReason reason() {
        return reason;
    }
}
