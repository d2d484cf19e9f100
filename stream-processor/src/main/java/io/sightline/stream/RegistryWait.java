package io.sightline.stream;

import io.sightline.schemas.SchemaRegistryException;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CancellationException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Waits, on the stream thread, for a schema registry that cannot be reached, up to {@link #LIMIT}, before letting the
 * failure through. A failed task takes every task of its stream thread down without a commit, so at least once the
 * frames the router had spread since the last commit would be spread, and detected, a second time. A registry being
 * restarted is back within seconds: the frame then goes on as if nothing happened. Only a longer outage fails the
 * task, and the thread is replaced after a pause ({@link StreamThreadRestarts}).
 *
 * <p>Only an outage is waited for: no answer at all, or a 5xx. A registry that answers "no such schema" or refuses a
 * request answers the same way a second later.
 */
public final class RegistryWait {

    /** Below exactly once's transaction timeout (10 s), and short enough not to hold up a shutdown for long. */
    public static final Duration LIMIT = Duration.ofSeconds(8);
    private static final Duration FIRST_PAUSE = Duration.ofMillis(200);
    private static final Duration LONGEST_PAUSE = Duration.ofSeconds(2);
    private static final Logger LOG = LoggerFactory.getLogger(RegistryWait.class);

    /** Waits between attempts; a parameter so tests need not sleep. */
    interface Sleep {
        void sleep(Duration duration) throws InterruptedException;
    }

    private final Clock clock;
    private final Sleep sleep;

    RegistryWait(Clock clock, Sleep sleep) {
        this.clock = clock;
        this.sleep = sleep;
    }

    static RegistryWait withSleep() {
        return new RegistryWait(Clock.systemUTC(), duration -> Thread.sleep(duration.toMillis()));
    }

    /** {@code call}'s answer, asked again while the registry is unreachable, up to {@link #LIMIT} from the first failure. */
    <T> T call(Supplier<T> call) {
        Instant deadline = null;
        Duration pause = FIRST_PAUSE;
        while (true) {
            try {
                T answer = call.get();
                if (deadline != null) {
                    LOG.info("schema registry reachable again; the frame goes on");
                }
                return answer;
            } catch (SchemaRegistryException e) {
                if (!isOutage(e)) {
                    throw e;
                }
                Instant now = clock.instant();
                if (deadline == null) {
                    deadline = now.plus(LIMIT);
                    LOG.warn("{}; waiting up to {} s for it before failing the task", e.getMessage(),
                            LIMIT.toSeconds());
                }
                Duration left = Duration.between(now, deadline);
                if (left.isNegative() || left.isZero()) {
                    throw e;
                }
                try {
                    sleep.sleep(pause.compareTo(left) < 0 ? pause : left);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new CancellationException("interrupted while waiting for the schema registry");
                }
                pause = pause.multipliedBy(2).compareTo(LONGEST_PAUSE) < 0 ? pause.multipliedBy(2) : LONGEST_PAUSE;
            }
        }
    }

    /** No answer (the connection refused or timed out) or a server error: the registry may be back shortly. */
    static boolean isOutage(SchemaRegistryException e) {
        if (e.httpStatus() >= 500) {
            return true;
        }
        return e.httpStatus() == SchemaRegistryException.NO_RESPONSE && e.getCause() instanceof IOException;
    }
}
