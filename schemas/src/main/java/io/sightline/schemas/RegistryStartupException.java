package io.sightline.schemas;

/** The embedded registry could not start: its port is taken, or the Kafka cluster holding its state is unreachable. */
public final class RegistryStartupException extends RuntimeException {
    public RegistryStartupException(String message, Throwable cause) {
        super(message, cause);
    }
}
