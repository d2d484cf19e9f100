package io.sightline.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class ClockSkewLimitsTest {

    private static final Instant WRITTEN = Instant.parse("2026-12-06T10:00:00Z");
    private static final ClockSkewLimits LIMITS = ClockSkewLimits.defaults();

    @Test
    void flagsCaptureTimesBeyondTheLimitsInWholeSecondsSignedByDirection() {
        assertThat(skew(WRITTEN.plus(Duration.ofHours(3)))).hasValue(10_800);
        assertThat(skew(WRITTEN.minus(Duration.ofDays(365)))).hasValue(-31_536_000);
        assertThat(skew(WRITTEN.plusSeconds(61))).hasValue(61);
        assertThat(skew(WRITTEN.minusSeconds(3601))).hasValue(-3601);
    }

    @Test
    void leavesCaptureTimesWithinTheLimitsUnflagged() {
        assertThat(skew(WRITTEN)).isEmpty();
        assertThat(skew(WRITTEN.plusSeconds(60))).isEmpty();
        assertThat(skew(WRITTEN.minusSeconds(3600))).isEmpty();
        assertThat(skew(WRITTEN.minusMillis(1500))).isEmpty();
    }

    @Test
    void zeroLimitsFlagEveryFrameNotCapturedAtItsWriteTime() {
        var strict = ClockSkewLimits.ofSeconds(0, 0);

        assertThat(strict.skewSeconds(WRITTEN.plusSeconds(2), WRITTEN.toEpochMilli())).hasValue(2);
        assertThat(strict.skewSeconds(WRITTEN, WRITTEN.toEpochMilli())).isEmpty();
    }

    @Test
    void refusesNegativeLimitsNamingTheOptions() {
        assertThatThrownBy(() -> ClockSkewLimits.ofSeconds(-1, 10))
                .hasMessageContaining("--max-clock-ahead and --max-clock-behind must be 0 or more seconds");
    }

    private static OptionalLong skew(Instant capturedAt) {
        return LIMITS.skewSeconds(capturedAt, WRITTEN.toEpochMilli());
    }
}
