package io.sightline.stream;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import org.apache.kafka.streams.errors.MissingSourceTopicException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;

/**
 * What to do when a stream thread dies. Records never kill a thread (their faults become dead letters), so what does
 * is the environment: the schema registry or a broker away for a while. The thread is replaced after a growing pause
 * and its task resumes from the last commit, so a short outage loses nothing. When the failures keep coming
 * ({@link #MAX_RESTARTS} within {@link #WINDOW}), or the topics are gone, the client shuts down and the process exits
 * non-zero for its supervisor to restart it.
 */
final class StreamThreadRestarts {

    static final int MAX_RESTARTS = 5;
    static final Duration WINDOW = Duration.ofMinutes(5);
    private static final Duration FIRST_PAUSE = Duration.ofSeconds(1);
    private static final Duration LONGEST_PAUSE = Duration.ofSeconds(30);

    /** Waits between a failure and the replacement thread; a parameter so tests need not sleep. */
    interface Pause {
        void pause(Duration duration) throws InterruptedException;
    }

    private final Clock clock;
    private final Pause pause;
    private final Deque<Instant> recent = new ArrayDeque<>();
    private int replaced;

    StreamThreadRestarts(Clock clock, Pause pause) {
        this.clock = clock;
        this.pause = pause;
    }

    static StreamThreadRestarts withSleep() {
        return new StreamThreadRestarts(Clock.systemUTC(), duration -> Thread.sleep(duration.toMillis()));
    }

    synchronized StreamThreadExceptionResponse onFailure(Throwable failure) {
        if (causedBy(failure, MissingSourceTopicException.class)) {
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        }
        Instant now = clock.instant();
        while (!recent.isEmpty() && recent.peekFirst().isBefore(now.minus(WINDOW))) {
            recent.removeFirst();
        }
        if (recent.size() >= MAX_RESTARTS) {
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        }
        recent.addLast(now);
        try {
            pause.pause(pauseBefore(recent.size()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        }
        replaced++;
        return StreamThreadExceptionResponse.REPLACE_THREAD;
    }

    /** How many failed stream threads were replaced so far. */
    synchronized int replaced() {
        return replaced;
    }

    /** 1 s, 2 s, 4 s, … up to 30 s before the n-th restart in the window. */
    static Duration pauseBefore(int restart) {
        Duration pause = FIRST_PAUSE.multipliedBy(1L << Math.min(restart - 1, 10));
        return pause.compareTo(LONGEST_PAUSE) > 0 ? LONGEST_PAUSE : pause;
    }

    private static boolean causedBy(Throwable failure, Class<? extends Throwable> type) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return true;
            }
        }
        return false;
    }
}
