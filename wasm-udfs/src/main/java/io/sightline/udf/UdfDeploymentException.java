package io.sightline.udf;

/**
 * A UDF module was refused: it does not fit the ABI (missing or mistyped export, unknown import, unsupported ABI
 * version) or the configured limits. Nothing of it runs.
 */
public final class UdfDeploymentException extends RuntimeException {

    public UdfDeploymentException(String message) {
        super(message);
    }

    public UdfDeploymentException(String message, Throwable cause) {
        super(message, cause);
    }
}
