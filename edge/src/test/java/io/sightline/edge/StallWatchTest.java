package io.sightline.edge;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** When the edge restarts its forwarding flow: only when it is stuck, once per stall, never during an outage. */
class StallWatchTest {

    private static final long S = 1_000_000_000L;

    @Test
    void restartsOnceWhenRecordsWaitAndNothingMovesWhileTheCentreAnswers() {
        var watch = new StallWatch(Duration.ofSeconds(30));
        assertThat(watch.check(status(100, 5, true), 0)).isFalse();
        assertThat(watch.check(status(100, 9, true), 20 * S)).isFalse();
        assertThat(watch.check(status(100, 12, true), 31 * S)).as("stuck for 31 s").isTrue();
        assertThat(watch.check(status(100, 14, true), 40 * S)).as("the clock starts again").isFalse();
        assertThat(watch.check(status(100, 20, true), 62 * S)).as("still stuck 31 s after the restart").isTrue();
    }

    @Test
    void progressAnOutageOrAnIdleFlowIsNotAStall() {
        var watch = new StallWatch(Duration.ofSeconds(30));
        watch.check(status(100, 5, true), 0);
        assertThat(watch.check(status(150, 5, true), 40 * S)).as("moving").isFalse();
        assertThat(watch.check(status(150, 50, false), 80 * S)).as("centre away").isFalse();
        assertThat(watch.check(status(150, 90, false), 150 * S)).as("still away").isFalse();
        assertThat(watch.check(status(150, 95, true), 160 * S)).as("back 10 s").isFalse();
        assertThat(watch.check(status(150, 0, true), 300 * S)).as("nothing waiting").isFalse();
        assertThat(watch.check(status(150, 3, true), 320 * S)).isFalse();
        assertThat(watch.check(status(150, 6, true), 351 * S)).isTrue();
    }

    private static ForwardingMonitor.Status status(long forwarded, long pending, boolean reachable) {
        return new ForwardingMonitor.Status(forwarded, pending, pending > 0 ? 1000L : null, forwarded * 1400L,
                reachable, Map.of("sightline.detections", pending));
    }
}
