package io.sightline.cluster;

/**
 * The embedded broker could not be brought up: a deployment problem (port taken, data directory unusable,
 * storage formatted for another cluster, broker not ready in time), not a bug in the caller's data.
 */
public final class BrokerStartupException extends RuntimeException {

    public BrokerStartupException(String message, Throwable cause) {
        super(message, cause);
    }

    public BrokerStartupException(String message) {
        super(message);
    }
}
