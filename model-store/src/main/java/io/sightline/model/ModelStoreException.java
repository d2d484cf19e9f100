package io.sightline.model;

/**
 * A model could not be provided: a deployment problem (missing or corrupted file), not bad input. The message says
 * what to fix.
 */
public abstract sealed class ModelStoreException extends RuntimeException
        permits ModelUnavailableException, ModelIntegrityException {

    protected ModelStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
