package io.sightline.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.sightline.schemas.avro.Frame;
import io.sightline.schemas.avro.ImageEncoding;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LiveFeedTest {

    private final AtomicLong now = new AtomicLong();

    @Test
    void aNewerFrameReplacesTheOneNotYetTakenAndCountsItSkipped() throws Exception {
        var feed = new LiveFeed(0, now::get);

        feed.offer(frame(1));
        feed.offer(frame(2));
        feed.offer(frame(3));

        assertThat(feed.take(Duration.ZERO)).map(Frame::getFrameId).contains("3");
        assertThat(feed.take(Duration.ZERO)).isEmpty();
        assertThat(feed.counts()).isEqualTo(new LiveFeed.Counts(3, 2, 0));
    }

    @Test
    void passesTenOfTwentyFiveFramesASecondAtTenFps() {
        var feed = new LiveFeed(10, now::get);

        for (int i = 0; i < 25; i++) {
            now.set(TimeUnit.MILLISECONDS.toNanos(40L * i));
            feed.offer(frame(i));
        }

        assertThat(feed.counts().skippedOverFps()).isEqualTo(15);
    }

    @Test
    void dueNowSaysWhetherAnOfferNowWouldPassTheLimitWithoutUsingTheSlot() {
        var feed = new LiveFeed(10, now::get);
        int passed = 0;
        for (int i = 0; i < 25; i++) { // 25 frames in one second, asked before each is encoded
            if (feed.dueNow()) {
                feed.offer(frame(i));
                passed++;
            } else {
                feed.skipOverFps();
            }
            now.addAndGet(TimeUnit.MILLISECONDS.toNanos(40));
        }

        assertThat(passed).isEqualTo(10);
        assertThat(feed.counts()).isEqualTo(new LiveFeed.Counts(25, 9, 15));
    }

    @Test
    void afterAPauseTheLimitStartsAfreshInsteadOfLettingABurstThrough() {
        var feed = new LiveFeed(10, now::get);
        feed.offer(frame(0));

        now.set(TimeUnit.SECONDS.toNanos(5));
        for (int i = 0; i < 5; i++) {
            now.addAndGet(TimeUnit.MILLISECONDS.toNanos(10));
            feed.offer(frame(i + 1));
        }

        assertThat(feed.counts().skippedOverFps()).isEqualTo(4);
    }

    @Test
    void closingWakesTheWaitingPublisher() throws Exception {
        var feed = new LiveFeed(0);
        new Thread(feed::close).start();

        assertThat(feed.take(Duration.ofMinutes(1))).isEmpty();
    }

    static Frame frame(int id) {
        return Frame.newBuilder().setCameraId("door").setFrameId(Integer.toString(id)).setCapturedAt(Instant.EPOCH)
                .setEncoding(ImageEncoding.JPEG).setWidth(1).setHeight(1).setPayload(ByteBuffer.allocate(1)).build();
    }
}
