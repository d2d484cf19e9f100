package io.sightline.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.sightline.schemas.avro.Frame;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class PacedSinkTest {

    private final List<Long> sentAt = new ArrayList<>();
    private final FrameSink clock = new FrameSink() {
        @Override
        public void frame(Frame frame) {
            sentAt.add(System.nanoTime());
        }

        @Override
        public void rejected(String cameraId, String frameId, String origin, byte[] content,
                RejectedImageException why) {}
    };

    @Test
    void spacesFramesAtLeastOneIntervalApart() {
        var paced = new PacedSink(clock, 50);

        for (int i = 0; i < 5; i++) {
            paced.frame(LiveFeedTest.frame(i));
        }

        assertThat(paced.frames()).isEqualTo(5);
        for (int i = 1; i < sentAt.size(); i++) {
            // sleep never wakes early, so each gap is at least the 20 ms interval (minus timer granularity)
            assertThat(sentAt.get(i) - sentAt.get(i - 1)).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(19));
        }
    }

    @Test
    void withoutALimitPassesFramesOnAtOnce() {
        var paced = new PacedSink(clock, 0);

        paced.frame(LiveFeedTest.frame(1));
        paced.frame(LiveFeedTest.frame(2));

        assertThat(sentAt).hasSize(2);
    }
}
