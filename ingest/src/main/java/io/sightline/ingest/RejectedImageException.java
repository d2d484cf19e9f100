package io.sightline.ingest;

/** A file that cannot become a frame: bad input, reported to the dead-letter topic with its reason code. */
public final class RejectedImageException extends Exception {

    /** Why a file was rejected; the name is the dead letter's reason code. */
    public enum Reason {
        UNSUPPORTED_FORMAT,
        MALFORMED_HEADER,
        TOO_LARGE
    }

    private final Reason reason;

    public RejectedImageException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
