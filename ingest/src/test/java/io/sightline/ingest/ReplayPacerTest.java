package io.sightline.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.sightline.schemas.avro.Frame;
import io.sightline.schemas.avro.ImageEncoding;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Replay pacing on a fake clock: when each frame is sent, for each speed. */
class ReplayPacerTest {

    private static final Instant T0 = Instant.parse("2026-11-30T08:00:00Z");
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    private long clock;
    private ReplayPacer lastPacer;
    private final List<Long> sentAt = new ArrayList<>();
    private final List<Instant> captureTimes = new ArrayList<>();

    @Test
    void theOriginalPaceSendsFramesAsFarApartAsTheyWereCaptured() {
        replay(1, 0, 1000, 3000, 3040);

        assertThat(sentAt).containsExactly(0L, 1000 * MS, 3000 * MS, 3040 * MS);
    }

    @Test
    void speedNDividesTheSpacing() {
        replay(4, 0, 1000, 3000, 3040);

        assertThat(sentAt).containsExactly(0L, 250 * MS, 750 * MS, 760 * MS);
        assertThat(lastPacer.elapsed()).isEqualTo(java.time.Duration.ofMillis(760));
    }

    @Test
    void maxSpeedNeverWaitsAndCaptureTimesAreKept() {
        replay(0, 0, 1000, 3000, 3040);

        assertThat(sentAt).containsOnly(0L);
        assertThat(captureTimes).containsExactly(T0, T0.plusMillis(1000), T0.plusMillis(3000), T0.plusMillis(3040));
    }

    @Test
    void aSinkThatFellBehindCatchesUpInsteadOfDrifting() {
        var pacer = new ReplayPacer(recorder(400 * MS), 1, () -> clock, nanos -> clock += nanos);
        for (long millis : new long[] {0, 100, 200, 2000}) {
            pacer.frame(frame(millis));
        }

        // each send takes 400 ms: frames at 100 and 200 ms go late but at once, the one at 2000 ms on time
        assertThat(sentAt).containsExactly(0L, 400 * MS, 800 * MS, 2000 * MS);
    }

    private void replay(double speed, long... captureMillis) {
        var pacer = new ReplayPacer(recorder(0), speed, () -> clock, nanos -> clock += nanos);
        lastPacer = pacer;
        for (long millis : captureMillis) {
            pacer.frame(frame(millis));
        }
        assertThat(pacer.frames()).isEqualTo(captureMillis.length);
    }

    private FrameSink recorder(long sendNanos) {
        return new FrameSink() {
            @Override
            public void frame(Frame frame) {
                sentAt.add(clock);
                captureTimes.add(frame.getCapturedAt());
                clock += sendNanos;
            }

            @Override
            public void rejected(String cameraId, String frameId, String origin, byte[] content,
                    RejectedImageException why) {
                throw new AssertionError(why);
            }
        };
    }

    private static Frame frame(long millis) {
        return Frame.newBuilder().setCameraId("door").setFrameId("f" + millis).setCapturedAt(T0.plusMillis(millis))
                .setEncoding(ImageEncoding.JPEG).setWidth(1).setHeight(1).setPayload(ByteBuffer.wrap(new byte[1]))
                .build();
    }
}
