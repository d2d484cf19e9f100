package io.sightline.schemas;

/** The registry has no such subject (40401), version (40402) or schema (40403). */
public final class SchemaNotFoundException extends SchemaRegistryException {
    public SchemaNotFoundException(String message, int errorCode) {
        super(message, 404, errorCode);
    }
}
