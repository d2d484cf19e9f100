package io.sightline.stream;

import static org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
import static org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.errors.MissingSourceTopicException;
import org.apache.kafka.streams.errors.StreamsException;
import org.junit.jupiter.api.Test;

class StreamThreadRestartsTest {

    private final List<Duration> pauses = new ArrayList<>();
    private Instant now = Instant.parse("2026-11-30T12:00:00Z");
    private final StreamThreadRestarts restarts = new StreamThreadRestarts(new MovableClock(), pauses::add);

    @Test
    void replacesAFailedThreadAfterAGrowingPause() {
        var outage = new StreamsException("schema registry unreachable");

        var responses = List.of(restarts.onFailure(outage), restarts.onFailure(outage), restarts.onFailure(outage));

        assertThat(responses).containsOnly(REPLACE_THREAD);
        assertThat(pauses).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4));
    }

    @Test
    void shutsTheClientDownWhenFailuresKeepComing() {
        var outage = new StreamsException("broker gone");
        for (int i = 0; i < StreamThreadRestarts.MAX_RESTARTS; i++) {
            assertThat(restarts.onFailure(outage)).isEqualTo(REPLACE_THREAD);
        }

        assertThat(restarts.onFailure(outage)).isEqualTo(SHUTDOWN_CLIENT);
    }

    @Test
    void forgetsFailuresOlderThanTheWindow() {
        var outage = new StreamsException("blip");
        for (int i = 0; i < StreamThreadRestarts.MAX_RESTARTS; i++) {
            restarts.onFailure(outage);
        }
        now = now.plus(StreamThreadRestarts.WINDOW).plusSeconds(1);

        assertThat(restarts.onFailure(outage)).isEqualTo(REPLACE_THREAD);
        assertThat(pauses.get(pauses.size() - 1)).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void shutsDownAtOnceWhenTheSourceTopicIsGone() {
        var gone = new StreamsException(new MissingSourceTopicException("topic sightline.frames is missing"));

        assertThat(restarts.onFailure(gone)).isEqualTo(SHUTDOWN_CLIENT);
        assertThat(pauses).isEmpty();
    }

    @Test
    void pausesNoLongerThanThirtySeconds() {
        assertThat(StreamThreadRestarts.pauseBefore(6)).isEqualTo(Duration.ofSeconds(30));
        assertThat(StreamThreadRestarts.pauseBefore(40)).isEqualTo(Duration.ofSeconds(30));
    }

    private final class MovableClock extends Clock {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
