package io.sightline.app;

import java.time.Duration;
import java.util.Optional;
import picocli.CommandLine.Option;

/** When a live source stops besides Ctrl-C. */
final class LiveOptions {

    @Option(names = "--max-frames", paramLabel = "N", defaultValue = "0",
            description = "Stop after publishing N frames (default: run until Ctrl-C).")
    long maxFrames;

    @Option(names = "--duration", paramLabel = "SECONDS", description = "Stop after this many seconds.")
    Double durationSeconds;

    long maxFrames() {
        if (maxFrames < 0) {
            throw new IllegalArgumentException("--max-frames must be 0 (no limit) or more, got " + maxFrames);
        }
        return maxFrames;
    }

    Optional<Duration> duration() {
        return duration(durationSeconds);
    }

    static Optional<Duration> duration(Double durationSeconds) {
        if (durationSeconds == null) {
            return Optional.empty();
        }
        if (!(durationSeconds > 0) || Double.isInfinite(durationSeconds)) {
            throw new IllegalArgumentException("--duration must be a positive number of seconds, got "
                    + durationSeconds);
        }
        return Optional.of(Duration.ofMillis((long) (durationSeconds * 1000)));
    }
}
