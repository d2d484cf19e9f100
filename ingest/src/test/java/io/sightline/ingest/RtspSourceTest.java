package io.sightline.ingest;

import static io.sightline.ingest.RecordingSink.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import io.sightline.schemas.FrameLimits;
import io.sightline.schemas.avro.Frame;
import io.sightline.schemas.avro.ImageEncoding;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Against GStreamer's RTSP server streaming H.264, as IP cameras do. */
class RtspSourceTest {

    @TempDir
    static Path tmp;
    private static Path h264;

    private final RecordingSink recorder = new RecordingSink();
    private final List<Frame> frames = recorder.frames();
    private final List<String> rejections = recorder.rejections();

    @BeforeAll
    static void writeVideo() throws Exception {
        h264 = TestVideos.write(tmp.resolve("camera.mp4"), TestAssets.image("tf-mtcnn-test.jpg"), 25, 30, "mp4",
                "libopenh264");
    }

    @Test
    void publishesTheDecodedPicturesAsJpegFramesOverTcp() throws Exception {
        try (var server = RtspTestServer.start(0, h264)) {
            var source = new RtspSource(RtspSourceConfig.of(URI.create(server.url()), "door",
                    RtspSourceConfig.Transport.TCP, FrameLimits.defaults()), Clock.systemUTC());

            LiveReport report = new LiveIngest(source, new LiveFeed(0), recorder, 20, Optional.empty()).run();

            assertThat(report.published()).isEqualTo(20);
            assertThat(frames).extracting(Frame::getCameraId, Frame::getEncoding, Frame::getWidth, Frame::getHeight)
                    .containsOnly(org.assertj.core.groups.Tuple.tuple("door", ImageEncoding.JPEG, 498, 310));
            assertThat(frames).extracting(f -> f.getSource().getKind()).containsOnly("rtsp");
            assertThat(frames).extracting(Frame::getCapturedAt).isSorted();
            assertThat(frames).extracting(f -> f.getSource().getSequence()).isSorted().doesNotHaveDuplicates();
            BufferedImage picture = ImageIO.read(new ByteArrayInputStream(bytes(frames.get(0))));
            assertThat(picture.getWidth()).isEqualTo(498);
        }
    }

    @Test
    void udpTransportWorksToo() throws Exception {
        try (var server = RtspTestServer.start(0, h264)) {
            var source = new RtspSource(RtspSourceConfig.of(URI.create(server.url()), "yard",
                    RtspSourceConfig.Transport.UDP, FrameLimits.defaults()), Clock.systemUTC());

            LiveReport report = new LiveIngest(source, new LiveFeed(0), recorder, 10, Optional.empty()).run();

            assertThat(report.published()).isEqualTo(10);
        }
    }

    @Test
    void reconnectsByItselfWhenTheServerComesBackAndCountsTheGap() throws Exception {
        var server = RtspTestServer.start(0, h264);
        int port = server.port();
        var source = new RtspSource(RtspSourceConfig.of(URI.create(server.url()), "gate",
                RtspSourceConfig.Transport.TCP, FrameLimits.defaults()).withBackoff(Duration.ofMillis(200),
                        Duration.ofSeconds(1)), Clock.systemUTC());
        var live = new LiveIngest(source, new LiveFeed(0), recorder, 0, Optional.empty());
        CompletableFuture<LiveReport> run = CompletableFuture.supplyAsync(() -> {
            try {
                return live.run();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        awaitFrames(10);
        server.close();
        Thread.sleep(2000);
        Instant back = Instant.now();
        try (var restarted = RtspTestServer.start(port, h264)) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (frames.stream().filter(f -> f.getCapturedAt().isAfter(back)).count() < 10
                    && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            live.stop();
            LiveReport report = run.get(30, TimeUnit.SECONDS);

            System.out.printf("rtsp across a server restart: %d published, %d reconnects, gap %s%n",
                    report.published(), report.reconnects(), report.gap());
            assertThat(frames).filteredOn(f -> f.getCapturedAt().isAfter(back)).hasSizeGreaterThanOrEqualTo(10);
            assertThat(report.reconnects()).isGreaterThanOrEqualTo(1);
            assertThat(report.gap()).isGreaterThanOrEqualTo(Duration.ofSeconds(2));
        }
    }

    @Test
    void backoffDoublesUpToItsCeilingAndStartsShortAfterFramesCame() {
        var backoff = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(3));

        assertThat(List.of(backoff.next(), backoff.next(), backoff.next(), backoff.next(), backoff.next()))
                .containsExactly(Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2),
                        Duration.ofSeconds(3), Duration.ofSeconds(3));
        backoff.reset();
        assertThat(backoff.next()).isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void keepsTryingAnUnreachableCameraUntilStopped() throws Exception {
        var source = new RtspSource(RtspSourceConfig.of(URI.create("rtsp://127.0.0.1:1/cam"), "nowhere",
                RtspSourceConfig.Transport.TCP, FrameLimits.defaults()).withBackoff(Duration.ofMillis(100),
                        Duration.ofMillis(400)), Clock.systemUTC());

        LiveReport report = new LiveIngest(source, new LiveFeed(0), recorder, 0, Optional.of(Duration.ofSeconds(2)))
                .run();

        assertThat(report.published()).isZero();
        assertThat(report.streaming()).isFalse();
        assertThat(report.reconnects()).isZero();
    }

    private void awaitFrames(int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (frames.size() < n && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(frames).hasSizeGreaterThanOrEqualTo(n);
    }
}
