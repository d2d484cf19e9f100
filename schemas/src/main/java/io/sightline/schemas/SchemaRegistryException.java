package io.sightline.schemas;

/**
 * The schema registry refused a request or could not be reached. This is an operational failure (registry down,
 * misconfigured URL, rejected schema), not a sign of bad record bytes: don't dead-letter records because of it.
 */
public class SchemaRegistryException extends RuntimeException {
    /** {@link #httpStatus()} when no HTTP answer came back at all. */
    public static final int NO_RESPONSE = 0;

    /** What to change when the registry does not take the credentials given (401). */
    public static final String GIVE_A_KNOWN_USER = "give a user it knows with --registry-user-info USER:PASSWORD";

    private final int httpStatus;
    private final int errorCode;

    public SchemaRegistryException(String message, int httpStatus, int errorCode) {
        super(message);
        this.httpStatus = httpStatus;
        this.errorCode = errorCode;
    }

    public SchemaRegistryException(String message, Throwable cause) {
        super(message, cause);
        this.httpStatus = NO_RESPONSE;
        this.errorCode = NO_RESPONSE;
    }

    /** HTTP status of the registry's answer, or {@link #NO_RESPONSE}. */
    public int httpStatus() {
        return httpStatus;
    }

    /**
     * The registry did not take these credentials (401) or does not let this user do this (403): the user's to fix,
     * asking again gives the same answer.
     */
    public boolean isRefusal() {
        return httpStatus == 401 || httpStatus == 403;
    }

    /** For a {@linkplain #isRefusal() refusal}: what happened and what to change, in one line. */
    public String whatToFix() {
        return "the schema registry refused: " + getMessage() + (httpStatus == 401
                ? "; " + GIVE_A_KNOWN_USER
                : "; give --registry-user-info a user allowed to do this (to register a schema: the write role in"
                        + " Sightline's registry)");
    }

    /** Confluent error code from the answer's body (e.g. 40403, 42201), or the HTTP status when the body had none. */
    public int errorCode() {
        return errorCode;
    }
}
