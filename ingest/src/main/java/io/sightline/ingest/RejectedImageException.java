package io.sightline.ingest;

import io.sightline.schemas.DeadLetterReason;
import io.sightline.schemas.FrameLimits;

/** A file that cannot become a frame: bad input, reported to the dead-letter topic with its reason code. */
public final class RejectedImageException extends Exception {

    private final DeadLetterReason reason;

    /** @param reason one of the ingest reasons: UNSUPPORTED_FORMAT, MALFORMED_HEADER, TOO_LARGE */
    public RejectedImageException(DeadLetterReason reason, String message) {
        super(message);
        this.reason = reason;
    }

    /** @param what the size that is too large, e.g. "1234 bytes of JPEG" */
    static RejectedImageException tooLarge(String what, FrameLimits limits) {
        return new RejectedImageException(DeadLetterReason.TOO_LARGE, what + " exceeds the frame limit of "
                + limits.maxPayloadBytes() + " (record limit " + limits.maxRecordBytes() + " bytes)");
    }

    public DeadLetterReason reason() {
        return reason;
    }
}
