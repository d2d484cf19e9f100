package io.sightline.ingest;

import static io.sightline.ingest.RecordingSink.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import io.sightline.schemas.FrameLimits;
import io.sightline.schemas.avro.Frame;
import io.sightline.schemas.avro.ImageEncoding;
import java.io.ByteArrayInputStream;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Decodes real video files written by FFmpeg at test time. */
class VideoSourceTest {

    private static final Instant START = Instant.parse("2026-11-30T08:00:00Z");

    @TempDir
    static Path tmp;
    private static Path mp4;

    private final RecordingSink recorder = new RecordingSink();
    private final List<Frame> frames = recorder.frames();
    private final List<String> rejections = recorder.rejections();

    @BeforeAll
    static void writeVideo() throws Exception {
        mp4 = TestVideos.write(tmp.resolve("lobby cam.mp4"), TestAssets.image("tf-mtcnn-test.jpg"), 25, 30, "mp4");
    }

    @Test
    void thirtySecondsAtFiveFpsAreOneHundredFiftyFramesFiveAnIntervalApart() throws Exception {
        var source = new VideoSource(VideoSourceConfig.of(mp4, Optional.empty(), Optional.of(START), 5,
                FrameLimits.defaults()));

        VideoReport report = source.publish(recorder);

        assertThat(report.failure()).isEmpty();
        assertThat(report.decoded()).isEqualTo(750);
        assertThat(report.published()).isEqualTo(150);
        assertThat(report.skipped()).isEqualTo(600);
        assertThat(frames).hasSize(150);
        assertThat(frames).extracting(Frame::getCameraId).containsOnly("lobby_cam");
        assertThat(frames.get(0).getCapturedAt()).isEqualTo(START);
        for (int i = 1; i < frames.size(); i++) {
            assertThat(Duration.between(frames.get(i - 1).getCapturedAt(), frames.get(i).getCapturedAt()))
                    .isEqualTo(Duration.ofMillis(200));
        }
        assertThat(frames).extracting(f -> f.getSource().getSequence()).containsExactlyElementsOf(
                java.util.stream.LongStream.range(0, 150).boxed().toList());
        assertThat(frames).extracting(Frame::getFrameId).doesNotHaveDuplicates();
        Frame first = frames.get(0);
        assertThat(first.getEncoding()).isEqualTo(ImageEncoding.JPEG);
        assertThat(first.getSource().getKind()).isEqualTo("video");
        BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(bytes(first)));
        assertThat(decoded.getWidth()).isEqualTo(first.getWidth()).isEqualTo(498);
        assertThat(decoded.getHeight()).isEqualTo(first.getHeight()).isEqualTo(310);
        assertThat(source.position()).isGreaterThan(Duration.ofSeconds(29));
    }

    @Test
    void withoutAnFpsLimitEveryFrameIsKeptAndMkvAndAviDecodeToo() throws Exception {
        for (String format : List.of("matroska", "avi")) {
            frames.clear();
            Path video = TestVideos.write(tmp.resolve("short." + format), TestAssets.image("solvay-1927.jpg"), 10, 2,
                    format);
            VideoReport report = new VideoSource(VideoSourceConfig.of(video, Optional.of("gate"), Optional.of(START),
                    0, FrameLimits.defaults())).publish(recorder);

            assertThat(report.published()).as(format).isEqualTo(20);
            assertThat(frames).as(format).extracting(Frame::getCapturedAt).isSorted().doesNotHaveDuplicates();
            assertThat(frames.get(19).getCapturedAt()).as(format).isEqualTo(START.plusMillis(1900));
            assertThat(frames).as(format).extracting(Frame::getWidth).containsOnly(960);
        }
    }

    @Test
    void startTimeDefaultsToTheFileTime() throws Exception {
        Path video = TestVideos.write(tmp.resolve("dated.mp4"), TestAssets.image("tf-mtcnn-test.jpg"), 5, 1, "mp4");
        Instant modified = Instant.parse("2025-06-01T12:00:00Z");
        Files.setLastModifiedTime(video, java.nio.file.attribute.FileTime.from(modified));

        new VideoSource(VideoSourceConfig.of(video, Optional.empty(), Optional.empty(), 0, FrameLimits.defaults()))
                .publish(recorder);

        assertThat(frames.get(0).getCapturedAt()).isEqualTo(modified);
    }

    @Test
    void rejectsATruncatedFileWithAClearReason() throws Exception {
        Path truncated = tmp.resolve("truncated.mp4");
        byte[] whole = Files.readAllBytes(mp4);
        Files.write(truncated, java.util.Arrays.copyOf(whole, whole.length / 2));

        VideoReport report = new VideoSource(VideoSourceConfig.of(truncated, Optional.empty(), Optional.of(START), 0,
                FrameLimits.defaults())).publish(recorder);

        assertThat(report.rejected()).isEqualTo(1);
        assertThat(report.failure()).hasValueSatisfying(why -> assertThat(why).startsWith("truncated.mp4: "));
        assertThat(rejections).hasSize(1);
        assertThat(rejections.get(0)).matches("(UNSUPPORTED_FORMAT|IMAGE_DECODE) truncated.mp4: .+");
    }

    @Test
    void rejectsAFileThatIsNoVideo() throws Exception {
        Path notVideo = Files.writeString(tmp.resolve("notes.avi"), "not a video at all");

        VideoReport report = new VideoSource(VideoSourceConfig.of(notVideo, Optional.empty(), Optional.of(START), 0,
                FrameLimits.defaults())).publish(recorder);

        assertThat(report.published()).isZero();
        assertThat(report.rejected()).isEqualTo(1);
        assertThat(rejections).singleElement().asString().startsWith("UNSUPPORTED_FORMAT notes.avi: FFmpeg cannot");
    }

    @Test
    void rejectsFramesOverTheSizeLimitAndGoesOn() throws Exception {
        Path video = TestVideos.write(tmp.resolve("big.mkv"), TestAssets.image("solvay-1927.jpg"), 5, 1, "matroska");

        VideoReport report = new VideoSource(VideoSourceConfig.of(video, Optional.empty(), Optional.of(START), 0,
                FrameLimits.withMaxRecordBytes(FrameLimits.MIN_RECORD_BYTES))).publish(recorder);

        assertThat(report.published()).isZero();
        assertThat(report.rejected()).isEqualTo(5);
        assertThat(report.failure()).isEmpty();
        assertThat(rejections).allSatisfy(r -> assertThat(r).startsWith("TOO_LARGE").contains("exceeds"));
    }
}
