package io.sightline.stream;

import java.time.Duration;
import java.util.Objects;

/**
 * Whether frames of pipelines without state are spread over every partition, so any stream thread of any instance
 * may detect on them whatever their camera, and how long a camera's events wait for an earlier frame's event before
 * they are published without it.
 *
 * @param enabled      spread frames of stateless pipelines; false runs every frame on its camera's partition
 * @param orderTimeout how long events that arrived out of order wait for the one before them (a frame whose event is
 *                     later than that is still published, flagged {@code late})
 */
public record FrameSpread(boolean enabled, Duration orderTimeout) {

    /**
     * 30 s. In order, an event waits for none; out of order, for the one frame still being detected on another
     * thread (a few hundred milliseconds), or for its partition to move to another instance after a crash: 10 s of
     * session timeout, then the state restore and the frame again.
     */
    public static final long DEFAULT_ORDER_TIMEOUT_SECONDS = 30;

    public FrameSpread {
        Objects.requireNonNull(orderTimeout, "orderTimeout");
        if (orderTimeout.isNegative() || orderTimeout.isZero()) {
            throw new IllegalArgumentException("--order-timeout must be at least 1 second, got "
                    + orderTimeout.toSeconds());
        }
    }

    public static FrameSpread defaults() {
        return new FrameSpread(true, Duration.ofSeconds(DEFAULT_ORDER_TIMEOUT_SECONDS));
    }

    /** Every frame on its camera's partition, as before frames were spread. */
    public static FrameSpread off() {
        return new FrameSpread(false, Duration.ofSeconds(DEFAULT_ORDER_TIMEOUT_SECONDS));
    }

    /** The order timeout in whole seconds, as the command line gives it. */
    public static FrameSpread ofSeconds(long orderTimeoutSeconds) {
        if (orderTimeoutSeconds < 1) {
            throw new IllegalArgumentException("--order-timeout must be at least 1 second, got " + orderTimeoutSeconds);
        }
        return new FrameSpread(true, Duration.ofSeconds(orderTimeoutSeconds));
    }
}
