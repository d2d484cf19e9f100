package io.sightline.model;

/** The model file is in no configured place and could not be downloaded. */
public final class ModelUnavailableException extends ModelStoreException {

    public ModelUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
