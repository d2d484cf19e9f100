package io.sightline.tracking;

import java.time.Duration;

/**
 * How the tracker associates faces with tracks. Defaults were chosen on the labelled sequences of
 * {@code eval/tracks} (docs/tracking.md says how).
 *
 * @param highScore  faces scoring at least this are associated first and may start a track; the others only keep a
 *                   track seen in the previous frame alive (a face half hidden scores lower)
 * @param firstIou   the least overlap between a track's predicted box and a confident face to associate them
 * @param secondIou  the same for faces below {@code highScore}
 * @param birthHits  frames a new track must be seen in before its faces carry its id (1: at once)
 * @param maxMiss    capture time a track is kept without a face before it ends
 * @param velocityWindow capture time over which a track's velocity follows new measurements (a face measured
 *                   after this much time replaces about two thirds of its velocity)
 */
public record TrackerSettings(double highScore, double firstIou, double secondIou, int birthHits, Duration maxMiss,
        Duration velocityWindow) {

    public TrackerSettings {
        if (!(highScore >= 0 && highScore <= 1)) {
            throw new IllegalArgumentException("high score must be between 0 and 1, not " + highScore);
        }
        if (!(firstIou > 0 && firstIou < 1) || !(secondIou > 0 && secondIou < 1)) {
            throw new IllegalArgumentException("IoU thresholds must lie strictly between 0 and 1");
        }
        if (birthHits < 1) {
            throw new IllegalArgumentException("birth hits must be at least 1, not " + birthHits);
        }
        if (maxMiss.isNegative()) {
            throw new IllegalArgumentException("max miss must not be negative, not " + maxMiss);
        }
        if (velocityWindow.toMillis() < 1) {
            throw new IllegalArgumentException("velocity window must be at least 1 ms, not " + velocityWindow);
        }
    }

    public static TrackerSettings defaults() {
        return new TrackerSettings(0.95, 0.2, 0.3, 1, Duration.ofMillis(1500), Duration.ofMillis(500));
    }
}
