package io.sightline.ingest;

import static io.sightline.ingest.RecordingSink.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.sightline.schemas.DeadLetterReason;
import io.sightline.schemas.FrameLimits;
import io.sightline.schemas.avro.Frame;
import io.sightline.schemas.avro.ImageEncoding;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Against a real HTTP server speaking MJPEG, as IP cameras do. */
class MjpegSourceTest {

    private static final FrameLimits LIMITS = FrameLimits.withMaxRecordBytes(256 * 1024);

    private final RecordingSink recorder = new RecordingSink();
    private final List<Frame> frames = recorder.frames();
    private final List<String> rejections = recorder.rejections();

    @Test
    void publishesEachPartAsAFrameOfTheCamera() throws Exception {
        byte[] solvay = image("solvay-1927.jpg");
        byte[] group = image("tf-mtcnn-test.jpg");
        try (var camera = MjpegTestServer.start(0, List.of(solvay, group), 25)) {
            LiveReport report = ingest(camera, new LiveFeed(0), recorder, 6, Optional.empty()).run();

            assertThat(report.published()).isEqualTo(6);
            // tf-mtcnn-test.jpg is a PNG whatever its name says: parts are identified by content, too.
            assertThat(frames).extracting(Frame::getCameraId, Frame::getEncoding, Frame::getWidth, f -> f.getSource()
                    .getKind()).containsOnly(tuple("door", ImageEncoding.JPEG, 960, "mjpeg"),
                            tuple("door", ImageEncoding.PNG, 498, "mjpeg"));
            Frame first = frames.get(0);
            assertThat(bytes(first)).isEqualTo(first.getWidth() == 960 ? solvay : group);
            assertThat(frames).extracting(f -> f.getSource().getSequence()).isSorted().doesNotHaveDuplicates();
            assertThat(frames).extracting(Frame::getFrameId).doesNotHaveDuplicates();
        }
    }

    @Test
    void reconnectsByItselfEachTimeTheCameraComesBackAndCountsTheGaps() throws Exception {
        List<byte[]> images = List.of(image("tf-mtcnn-test.jpg"));
        var camera = MjpegTestServer.start(0, images, 25);
        int port = camera.port();
        long started = System.nanoTime();
        var live = ingest(camera, new LiveFeed(0), recorder, 0, Optional.empty());
        CompletableFuture<LiveReport> run = runInBackground(live);
        awaitFrames(5);

        for (int outage = 0; outage < 2; outage++) {
            camera.close();
            Thread.sleep(1500);
            Instant restarted = Instant.now();
            camera = MjpegTestServer.start(port, images, 25);
            awaitFrames(frames.size() + 5);
            Instant firstAfter = frames.stream().map(Frame::getCapturedAt).filter(t -> !t.isBefore(restarted))
                    .findFirst().orElseThrow();
            System.out.printf("MJPEG reconnect: first frame %d ms after the camera came back%n",
                    Duration.between(restarted, firstAfter).toMillis());
        }
        live.stop();
        LiveReport report = run.get(30, TimeUnit.SECONDS);
        camera.close();

        System.out.printf("MJPEG reconnects %d, gap %s%n", report.reconnects(), report.gap());
        assertThat(report.reconnects()).isGreaterThanOrEqualTo(2);
        assertThat(report.gap()).isGreaterThanOrEqualTo(Duration.ofMillis(3000))
                .isLessThan(Duration.ofNanos(System.nanoTime() - started));
        assertThat(report.published()).isEqualTo(frames.size());
    }

    @Test
    void aSlowSinkGetsTheNewestFrameAndTheRestAreSkipped() throws Exception {
        var feed = new LiveFeed(0);
        List<Long> behindNewest = new CopyOnWriteArrayList<>();
        FrameSink slowSink = recorder.after(frame -> {
            behindNewest.add(feed.counts().offered() - 1 - frame.getSource().getSequence());
            sleep(120);
        });
        try (var camera = MjpegTestServer.start(0, List.of(image("tf-mtcnn-test.jpg")), 25)) {
            LiveReport report = ingest(camera, feed, slowSink, 12, Optional.empty()).run();
            LiveFeed.Counts counts = feed.counts();

            System.out.printf("slow sink: %d published, %d skipped of %d frames; frames newer than the one taken: %s%n",
                    report.published(), report.skippedStale(), counts.offered(), behindNewest);
            assertThat(report.published()).isEqualTo(12);
            assertThat(report.skippedStale()).isGreaterThan(0);
            // When the sink takes a frame it is the newest one read (one more may arrive while it is handed over).
            assertThat(behindNewest).allSatisfy(behind -> assertThat(behind).isBetween(0L, 1L));
            // Nothing queues: every frame read was published, skipped, or is the one still pending.
            assertThat(counts.offered() - report.published() - report.skippedStale()).isBetween(0L, 1L);
        }
    }

    @Test
    void rejectsAnOversizedPartAndKeepsStreaming() throws Exception {
        byte[] solvay = image("solvay-1927.jpg");
        byte[] oversized = Arrays.copyOf(solvay, LIMITS.maxPayloadBytes() + 1);
        try (var camera = MjpegTestServer.start(0, List.of(solvay, oversized), 25)) {
            LiveReport report = ingest(camera, new LiveFeed(0), recorder, 4, Optional.empty()).run();

            assertThat(report.published()).isEqualTo(4);
            assertThat(report.rejected().get(DeadLetterReason.TOO_LARGE)).isGreaterThanOrEqualTo(3L);
            assertThat(rejections).allSatisfy(r -> assertThat(r).startsWith("TOO_LARGE").contains("exceeds"));
            assertThat(frames).extracting(f -> f.getPayload().remaining()).containsOnly(solvay.length);
        }
    }

    @Test
    void waitsOutAnUnavailableClusterAndGoesOnWithTheNewestFrame() throws Exception {
        var failures = new java.util.concurrent.atomic.AtomicInteger(2);
        FrameSink unavailableAtFirst = recorder.after(frame -> {
            if (failures.getAndDecrement() > 0) {
                throw new org.apache.kafka.common.errors.TimeoutException("no broker answered");
            }
        });
        try (var camera = MjpegTestServer.start(0, List.of(image("tf-mtcnn-test.jpg")), 25)) {
            LiveReport report = ingest(camera, new LiveFeed(0), unavailableAtFirst, 3, Optional.empty()).run();

            assertThat(report.unsent()).isEqualTo(2);
            assertThat(report.published()).isEqualTo(3);
            assertThat(report.skippedStale()).as("frames that came during the pauses").isPositive();
        }
    }

    @Test
    void keepsToTheFpsLimit() throws Exception {
        try (var camera = MjpegTestServer.start(0, List.of(image("tf-mtcnn-test.jpg")), 25)) {
            LiveReport report = ingest(camera, new LiveFeed(5), recorder, 4, Optional.empty()).run();

            assertThat(report.published()).isEqualTo(4);
            assertThat(report.skippedOverFps()).isGreaterThanOrEqualTo(report.published());
        }
    }

    @Test
    void endsAfterTheGivenDurationEvenWithoutACamera() throws Exception {
        try (var camera = MjpegTestServer.start(0, List.of(image("tf-mtcnn-test.jpg")), 25)) {
            camera.close();
            LiveReport report = ingest(camera, new LiveFeed(0), recorder, 0,
                    Optional.of(Duration.ofMillis(700))).run();

            assertThat(report.published()).isZero();
            assertThat(report.streaming()).isFalse();
        }
    }

    private LiveIngest ingest(MjpegTestServer camera, LiveFeed feed, FrameSink sink, long maxFrames,
            Optional<Duration> duration) {
        var source = new MjpegSource(MjpegSourceConfig.of(camera.url(), "door", LIMITS), Clock.systemUTC());
        return new LiveIngest(source, feed, sink, maxFrames, duration);
    }

    private static CompletableFuture<LiveReport> runInBackground(LiveIngest live) {
        var result = new CompletableFuture<LiveReport>();
        new Thread(() -> {
            try {
                result.complete(live.run());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        }, "live-ingest").start();
        return result;
    }

    private void awaitFrames(int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (frames.size() < n) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("only " + frames.size() + " of " + n + " frames arrived");
            }
            Thread.sleep(20);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static byte[] image(String name) throws Exception {
        return Files.readAllBytes(TestAssets.image(name));
    }
}
