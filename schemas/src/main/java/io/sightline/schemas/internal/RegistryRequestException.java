package io.sightline.schemas.internal;

import java.util.List;

/** A request the embedded registry refuses, with the Confluent error code and HTTP status it answers with. */
public final class RegistryRequestException extends RuntimeException {
    private final int httpStatus;
    private final int errorCode;

    private RegistryRequestException(int httpStatus, int errorCode, String message) {
        super(message);
        this.httpStatus = httpStatus;
        this.errorCode = errorCode;
    }

    public static RegistryRequestException unauthorized(String detail) {
        return new RegistryRequestException(401, 401, "Unauthorized: " + detail);
    }

    /** Confluent's code for an operation the user's role does not allow. */
    public static RegistryRequestException forbidden(String detail) {
        return new RegistryRequestException(403, 40301, "Forbidden: " + detail);
    }

    public static RegistryRequestException subjectNotFound(String subject) {
        return new RegistryRequestException(404, 40401, "Subject '" + subject + "' not found.");
    }

    public static RegistryRequestException versionNotFound(String subject, int version) {
        return new RegistryRequestException(404, 40402,
                "Version " + version + " not found for subject '" + subject + "'.");
    }

    public static RegistryRequestException schemaNotFound(String what) {
        return new RegistryRequestException(404, 40403, what + " not found.");
    }

    public static RegistryRequestException invalidSchema(String detail) {
        return new RegistryRequestException(422, 42201, "Invalid schema: " + detail);
    }

    public static RegistryRequestException invalidVersion(String version) {
        return new RegistryRequestException(422, 42202,
                "The specified version '" + version + "' is not a valid version id. "
                        + "Allowed values are between [1, 2^31-1] and the string \"latest\"");
    }

    public static RegistryRequestException invalidCompatibilityLevel(String level) {
        return new RegistryRequestException(422, 42203, "Invalid compatibility level '" + level
                + "'. Valid values are NONE, BACKWARD, BACKWARD_TRANSITIVE, FORWARD, FORWARD_TRANSITIVE, FULL, "
                + "FULL_TRANSITIVE");
    }

    /** Confluent answers an incompatible schema with HTTP 409 and error code 409. */
    public static RegistryRequestException incompatible(String subject, CompatibilityLevel level,
                                                        List<String> problems) {
        return new RegistryRequestException(409, 409, "Schema being registered is incompatible with an earlier "
                + "schema for subject \"" + subject + "\" (compatibility " + level + "): "
                + String.join("; ", problems));
    }

    public static RegistryRequestException subjectLevelConfigNotFound(String subject) {
        return new RegistryRequestException(404, 40408,
                "Subject '" + subject + "' does not have subject-level compatibility configured");
    }

    /** The journal (the {@code _schemas} topic) could not be read or written: Confluent's store error. */
    public static RegistryRequestException storeUnavailable(String detail) {
        return new RegistryRequestException(500, 50001, "Error in the backend data store: " + detail);
    }

    public static RegistryRequestException malformedRequest(String detail) {
        return new RegistryRequestException(400, 400, "Malformed request: " + detail);
    }

    public static RegistryRequestException notFound(String path) {
        return new RegistryRequestException(404, 404, "HTTP 404 Not Found: " + path);
    }

    public static RegistryRequestException methodNotAllowed(String method) {
        return new RegistryRequestException(405, 405, "HTTP 405 Method Not Allowed: " + method);
    }

    public static RegistryRequestException unsupportedMediaType(String contentType) {
        return new RegistryRequestException(415, 415, "HTTP 415 Unsupported Media Type: " + contentType);
    }

    public int httpStatus() {
        return httpStatus;
    }

    public int errorCode() {
        return errorCode;
    }
}
