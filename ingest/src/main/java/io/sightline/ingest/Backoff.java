package io.sightline.ingest;

import java.time.Duration;

/**
 * Pauses between reconnect attempts: the first pause after a stream that delivered frames is short, each failed
 * attempt after it doubles the pause, up to a ceiling.
 */
final class Backoff {

    private final Duration first;
    private final Duration max;
    private Duration next;

    Backoff(Duration first, Duration max) {
        requireValid(first, max);
        this.first = first;
        this.max = max;
        this.next = first;
    }

    static void requireValid(Duration first, Duration max) {
        if (first.isNegative() || first.isZero()) {
            throw new IllegalArgumentException("first backoff must be positive, got " + first);
        }
        if (max.compareTo(first) < 0) {
            throw new IllegalArgumentException("max backoff " + max + " is below the first " + first);
        }
    }

    /** The pause before the next attempt; the one after it is twice as long, up to the ceiling. */
    Duration next() {
        Duration pause = next;
        next = next.multipliedBy(2).compareTo(max) > 0 ? max : next.multipliedBy(2);
        return pause;
    }

    /** A stream delivered frames: its loss is a new outage, so the pauses start short again. */
    void reset() {
        next = first;
    }
}
