package io.sightline.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sightline.schemas.SchemaNotFoundException;
import io.sightline.schemas.SchemaRegistryException;
import java.net.ConnectException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class RegistryWaitTest {

    private final List<Duration> sleeps = new ArrayList<>();
    private Instant now = Instant.parse("2026-12-07T08:00:00Z");
    private final RegistryWait wait = new RegistryWait(new MovableClock(), duration -> {
        sleeps.add(duration);
        now = now.plus(duration);
    });

    @Test
    void asksAgainWhileTheRegistryIsUnreachableAndReturnsTheAnswerOnceItIsBack() {
        var calls = failingTimes(3, unreachable());

        assertThat(wait.call(calls)).isEqualTo("schema");
        assertThat(sleeps).containsExactly(Duration.ofMillis(200), Duration.ofMillis(400), Duration.ofMillis(800));
    }

    @Test
    void aServerErrorIsAnOutageToo() {
        var calls = failingTimes(1, new SchemaRegistryException("journal unavailable", 503, 50003));

        assertThat(wait.call(calls)).isEqualTo("schema");
        assertThat(sleeps).hasSize(1);
    }

    @Test
    void givesUpWithTheRegistrysFailureOnceTheLimitHasPassed() {
        var outage = unreachable();
        var calls = failingTimes(Integer.MAX_VALUE, outage);

        assertThatThrownBy(() -> wait.call(calls)).isSameAs(outage);
        Duration waited = sleeps.stream().reduce(Duration.ZERO, Duration::plus);
        assertThat(waited).isEqualTo(RegistryWait.LIMIT);
        assertThat(sleeps).allSatisfy(pause -> assertThat(pause).isLessThanOrEqualTo(Duration.ofSeconds(2)));
    }

    @Test
    void anAnswerThatIsNotAnOutageGoesThroughAtOnce() {
        var notFound = new SchemaNotFoundException("GET /schemas/ids/9 failed (error 40403, HTTP 404)", 40403);
        var refused = new SchemaRegistryException("POST failed (error 40301, HTTP 403)", 403, 40301);
        var unparseable = new SchemaRegistryException("unparseable Avro schema", new IllegalArgumentException());

        assertThatThrownBy(() -> wait.call(failingTimes(1, notFound))).isSameAs(notFound);
        assertThatThrownBy(() -> wait.call(failingTimes(1, refused))).isSameAs(refused);
        assertThatThrownBy(() -> wait.call(failingTimes(1, unparseable))).isSameAs(unparseable);
        assertThat(sleeps).isEmpty();
    }

    @Test
    void aThreadInterruptedWhileWaitingStopsWaiting() {
        var interrupting = new RegistryWait(new MovableClock(), duration -> {
            throw new InterruptedException();
        });

        assertThatThrownBy(() -> interrupting.call(failingTimes(1, unreachable())))
                .isInstanceOf(CancellationException.class);
        assertThat(Thread.interrupted()).as("interrupt flag kept (and cleared here)").isTrue();
    }

    private static SchemaRegistryException unreachable() {
        return new SchemaRegistryException("schema registry unreachable at [http://127.0.0.1:1]",
                new ConnectException("Connection refused"));
    }

    /** Throws {@code failure} the first {@code times} calls, then answers "schema". */
    private static Supplier<String> failingTimes(int times, RuntimeException failure) {
        int[] calls = {0};
        return () -> {
            if (calls[0]++ < times) {
                throw failure;
            }
            return "schema";
        };
    }

    private final class MovableClock extends Clock {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
