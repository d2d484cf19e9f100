package io.sightline.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import io.sightline.schemas.FrameLimits;
import io.sightline.schemas.avro.Frame;
import io.sightline.schemas.avro.ImageEncoding;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectorySourceTest {

    @TempDir
    Path dir;

    private final List<Frame> frames = new ArrayList<>();
    private final List<String> rejections = new ArrayList<>();
    private final FrameSink recorder = new FrameSink() {
        @Override
        public void frame(Frame frame) {
            frames.add(frame);
        }

        @Override
        public void rejected(String cameraId, String frameId, String origin, byte[] content,
                RejectedImageException why) {
            rejections.add(frameId + ":" + why.reason());
        }
    };

    @Test
    void publishesTopLevelFilesUnderFlagCameraAndSubfoldersUnderTheirName() throws Exception {
        Files.copy(TestAssets.image("solvay-1927.jpg"), dir.resolve("solvay.jpg"));
        Files.createDirectory(dir.resolve("lobby"));
        Files.copy(TestAssets.image("tf-mtcnn-test.jpg"), dir.resolve("lobby/group.jpg"));
        Instant mtime = Instant.parse("2026-01-02T03:04:05Z");
        Files.setLastModifiedTime(dir.resolve("solvay.jpg"), FileTime.from(mtime));

        IngestReport report = new DirectorySource(DirectorySourceConfig.of(dir, Optional.of("gate-1"))).publish(recorder);

        assertThat(report).isEqualTo(new IngestReport(2, 0, 0));
        assertThat(frames).extracting(Frame::getCameraId, Frame::getFrameId, Frame::getEncoding, Frame::getWidth)
                .containsExactly(
                        tuple("gate-1", "solvay", ImageEncoding.JPEG, 960),
                        tuple("lobby", "group", ImageEncoding.PNG, 498));
        assertThat(frames.get(0).getCapturedAt()).isEqualTo(mtime);
        assertThat(frames.get(0).getPayload().remaining()).isEqualTo(Files.size(dir.resolve("solvay.jpg")));
        assertThat(frames.get(1).getSource().getSequence()).isEqualTo(1);
    }

    @Test
    void rejectsNonImageContentAndSkipsFilesNotNamedAsImages() throws Exception {
        Files.writeString(dir.resolve("notes.jpg"), "plain text", StandardCharsets.US_ASCII);
        Files.writeString(dir.resolve("README.md"), "docs", StandardCharsets.US_ASCII);
        Files.copy(TestAssets.image("solvay-1927.jpg"), dir.resolve("ok.jpeg"));

        IngestReport report = new DirectorySource(DirectorySourceConfig.of(dir, Optional.empty())).publish(recorder);

        assertThat(report).isEqualTo(new IngestReport(1, 1, 1));
        assertThat(rejections).containsExactly("notes:UNSUPPORTED_FORMAT");
        assertThat(frames).singleElement().extracting(Frame::getCameraId).isEqualTo(DirectorySourceConfig.DEFAULT_CAMERA);
    }

    @Test
    void rejectsFilesOverTheByteLimit() throws Exception {
        Files.copy(TestAssets.image("solvay-1927.jpg"), dir.resolve("big.jpg"));
        var config = new DirectorySourceConfig(dir, Optional.empty(), FrameLimits.withMaxRecordBytes(FrameLimits.MIN_RECORD_BYTES));

        new DirectorySource(config).publish(recorder);

        assertThat(rejections).containsExactly("big:TOO_LARGE");
    }

    @Test
    void keepsFrameIdsDistinctWhenTwoFilesShareAStem() throws Exception {
        Files.copy(TestAssets.image("solvay-1927.jpg"), dir.resolve("a.jpg"));
        Files.copy(TestAssets.image("tf-mtcnn-test.jpg"), dir.resolve("a.png"));

        assertThat(new DirectorySource(DirectorySourceConfig.of(dir, Optional.empty())).scan())
                .extracting(SourceFile::frameId).containsExactly("a", "a.png");
    }

    @Test
    void publishesInOrderOfCaptureTimeFromExifElseFileTimeAndReadsSubfoldersRecursively() throws Exception {
        byte[] solvay = Files.readAllBytes(TestAssets.image("solvay-1927.jpg"));
        Files.createDirectories(dir.resolve("lobby/2026-03-04"));
        Files.write(dir.resolve("a-late.jpg"), solvay);
        Files.setLastModifiedTime(dir.resolve("a-late.jpg"), FileTime.from(Instant.parse("2026-05-01T00:00:00Z")));
        Files.write(dir.resolve("lobby/2026-03-04/z-early.jpg"),
                ExifTimeTest.withExif(solvay, "2026:03:04 05:06:07", "+00:00", java.nio.ByteOrder.BIG_ENDIAN));
        Files.write(dir.resolve("lobby/m-middle.jpg"), solvay);
        Files.setLastModifiedTime(dir.resolve("lobby/m-middle.jpg"), FileTime.from(Instant.parse("2026-04-01T00:00:00Z")));
        Files.createDirectories(dir.resolve("lobby/.thumbnails"));
        Files.write(dir.resolve("lobby/.thumbnails/t.jpg"), solvay);

        new DirectorySource(DirectorySourceConfig.of(dir, Optional.of("gate"))).publish(recorder);

        assertThat(frames).extracting(Frame::getCameraId, Frame::getFrameId, Frame::getCapturedAt).containsExactly(
                tuple("lobby", "z-early", Instant.parse("2026-03-04T05:06:07Z")),
                tuple("lobby", "m-middle", Instant.parse("2026-04-01T00:00:00Z")),
                tuple("gate", "a-late", Instant.parse("2026-05-01T00:00:00Z")));
        assertThat(frames).extracting(f -> f.getSource().getSequence()).containsExactly(0L, 1L, 2L);
    }

    @Test
    void failsFastOnMissingDirectoryAndBadCameraId() {
        assertThatThrownBy(() -> DirectorySourceConfig.of(dir.resolve("nope"), Optional.empty()))
                .hasMessageContaining("does not exist");
        assertThatThrownBy(() -> DirectorySourceConfig.of(dir, Optional.of("bad camera/id")))
                .hasMessageContaining("camera id");
    }
}
