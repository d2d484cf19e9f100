package io.sightline.stream;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * How far a frame's capture time may lie from the time it was written to the frames topic before its event is
 * flagged with a {@code clockSkew}. Such a frame is processed like any other: a camera in the wrong time zone or an
 * archive captured last year is still footage. The flag tells a consumer not to trust the capture time as wall time.
 *
 * @param ahead  capture times later than the write time by more than this are flagged: a camera cannot capture a
 *               frame after it was sent, so only a little network and clock jitter is normal
 * @param behind capture times earlier than the write time by more than this are flagged: buffered or archived frames
 */
public record ClockSkewLimits(Duration ahead, Duration behind) {

    /** A minute: more than jitter between NTP-synchronised clocks, less than any time-zone error. */
    public static final long DEFAULT_AHEAD_SECONDS = 60;
    /** An hour: a live source delivers within seconds; frames older than this are a backlog or an archive. */
    public static final long DEFAULT_BEHIND_SECONDS = 3600;

    public ClockSkewLimits {
        Objects.requireNonNull(ahead, "ahead");
        Objects.requireNonNull(behind, "behind");
        if (ahead.isNegative() || behind.isNegative()) {
            throw new IllegalArgumentException("clock skew limits must not be negative, got ahead " + ahead
                    + " and behind " + behind);
        }
    }

    public static ClockSkewLimits defaults() {
        return ofSeconds(DEFAULT_AHEAD_SECONDS, DEFAULT_BEHIND_SECONDS);
    }

    /** Limits in whole seconds, as the command line gives them. */
    public static ClockSkewLimits ofSeconds(long aheadSeconds, long behindSeconds) {
        if (aheadSeconds < 0 || behindSeconds < 0) {
            throw new IllegalArgumentException("--max-clock-ahead and --max-clock-behind must be 0 or more seconds, got "
                    + aheadSeconds + " and " + behindSeconds);
        }
        return new ClockSkewLimits(Duration.ofSeconds(aheadSeconds), Duration.ofSeconds(behindSeconds));
    }

    /**
     * The skew of a frame, in whole seconds (positive: captured "after" it was written), when it is beyond the
     * limits; empty when within them.
     */
    public OptionalLong skewSeconds(Instant capturedAt, long writtenAtMillis) {
        long skewMillis = capturedAt.toEpochMilli() - writtenAtMillis;
        boolean beyond = skewMillis > ahead.toMillis() || -skewMillis > behind.toMillis();
        return beyond ? OptionalLong.of(Math.round(skewMillis / 1000.0)) : OptionalLong.empty();
    }
}
