package io.sightline.udf;

import static org.assertj.core.api.Assertions.assertThat;

import io.sightline.model.DetectionOptions;
import io.sightline.udf.UdfResult.Dropped;
import io.sightline.udf.UdfResult.Emitted;
import io.sightline.udf.UdfResult.Failed;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The host functions added to ABI v1 for metadata, images, named outputs, metrics and state, each driven by a real
 * compiled test UDF (src/test/assemblyscript/host-api.ts) whose behaviour the frame's camera id chooses.
 */
class HostApiUdfTest {

    private final FakeFaceDetector detector = new FakeFaceDetector(List.of(
            FakeFaceDetector.face(100, 100, 180, 190, 0.99f), FakeFaceDetector.face(300, 120, 370, 200, 0.97f)));
    private UdfRuntime runtime;
    private UdfInstance udf;

    @BeforeEach
    void load() {
        runtime = TestUdfs.load("host-api", detector,
                new UdfConfig(DetectionOptions.defaults(), UdfConfig.DEFAULT_MEMORY_MAX_PAGES, Duration.ofSeconds(1)));
        udf = runtime.newInstance();
    }

    @AfterEach
    void close() {
        udf.close();
        runtime.close();
    }

    @Test
    void readsFrameIdRecordTimeAndSize() {
        Emitted emitted = emitted(udf.process(frame("meta")));

        assertThat(emitted.outputs()).hasSize(1);
        UdfOutput meta = emitted.outputs().get(0);
        assertThat(meta.output()).isEqualTo("meta");
        assertThat(meta.contentType()).isEqualTo("application/json");
        assertThat(meta.udf()).isEqualTo(runtime.info());
        assertThat(text(meta)).isEqualTo(
                "{\"frameId\":\"meta-1\",\"timestamp\":1700000000000,\"width\":640,\"height\":480}");
    }

    @Test
    void cropsAndResizesIntoNewImagesEmittedToNamedOutputs() {
        Emitted emitted = emitted(udf.process(frame("crop")));

        assertThat(emitted.outputs()).extracting(UdfOutput::output).containsExactly("crops", "thumbs", "sizes");
        assertThat(text(emitted.outputs().get(2))).isEqualTo("[100,50,32,16]");
        UdfOutput crop = emitted.outputs().get(0);
        assertThat(crop.contentType()).isEqualTo("image/png");
        BufferedImage cropped = TestFrames.decode(crop.payload());
        assertThat(cropped.getWidth()).isEqualTo(100);
        assertThat(cropped.getHeight()).isEqualTo(50);
        // The crop holds rows 20..69 of the source: compare one pixel (the source is a JPEG, so within a tolerance).
        BufferedImage source = TestFrames.decode(TestFrames.gradientJpeg());
        assertThat(channelDistance(cropped.getRGB(5, 5), source.getRGB(15, 25))).isLessThanOrEqualTo(2);
        BufferedImage thumb = TestFrames.decode(emitted.outputs().get(1).payload());
        assertThat(thumb.getWidth()).isEqualTo(32);
        assertThat(thumb.getHeight()).isEqualTo(16);
    }

    @Test
    void blursOnlyInsideTheBox() {
        BufferedImage source = TestFrames.noise(640, 480, 7);
        Emitted emitted = emitted(udf.process(new FrameInput("blur", "blur-1", 1L, ImageEncoding.PNG, 640, 480,
                TestFrames.encode(source, "png"))));

        BufferedImage blurred = TestFrames.decode(emitted.annotated().orElseThrow().bytes());
        double before = TestFrames.laplacianVariance(source, 110, 110, 290, 290);
        double after = TestFrames.laplacianVariance(blurred, 110, 110, 290, 290);
        assertThat(after).isLessThan(before / 100);
        for (int y = 0; y < 480; y++) {
            for (int x = 0; x < 640; x++) {
                boolean inside = x >= 100 && x < 300 && y >= 100 && y < 300;
                if (!inside) {
                    assertThat(blurred.getRGB(x, y)).as("pixel %d,%d", x, y).isEqualTo(source.getRGB(x, y));
                }
            }
        }
    }

    @Test
    void drawsALabel() {
        Emitted emitted = emitted(udf.process(frame("label")));

        BufferedImage labelled = TestFrames.decode(emitted.annotated().orElseThrow().bytes());
        long white = 0;
        long black = 0;
        for (int y = 10; y < 30; y++) {
            for (int x = 10; x < 60; x++) {
                int rgb = labelled.getRGB(x, y) & 0xFFFFFF;
                white += rgb == 0xFFFFFF ? 1 : 0;
                black += rgb == 0 ? 1 : 0;
            }
        }
        assertThat(white).as("text pixels").isGreaterThan(20);
        assertThat(black).as("background pixels").isGreaterThan(100);
    }

    @Test
    void copiesPixelsAsRgbaOnlyWhenAsked() {
        BufferedImage source = new BufferedImage(4, 4, BufferedImage.TYPE_3BYTE_BGR);
        source.setRGB(0, 0, 0x102030);
        source.setRGB(1, 0, 0xA0B0C0);
        Emitted emitted = emitted(udf.process(new FrameInput("pixels", "p-1", 1L, ImageEncoding.PNG, 4, 4,
                TestFrames.encode(source, "png"))));

        assertThat(emitted.outputs().get(0).payload()).containsExactly(
                0x10, 0x20, 0x30, 0xFF, 0xA0, 0xB0, 0xC0, 0xFF);
    }

    @Test
    void countsAndTimesPerInstanceAcrossFrames() {
        udf.process(frame("metrics"));
        udf.process(frame("metrics"));

        UdfMetrics metrics = udf.metrics();
        assertThat(metrics.counters()).isEqualTo(Map.of("frames", 2L, "faces", 6L));
        assertThat(metrics.timers()).isEqualTo(Map.of("work", new UdfMetrics.Timer(2, 3000, 1500)));
    }

    @Test
    void keepsStateInTheGivenStateAcrossFramesAndInstances() {
        UdfState state = UdfState.inMemory();
        assertThat(text(emitted(udf.process(frame("count"), state)).outputs().get(0))).isEqualTo("1");
        assertThat(text(emitted(udf.process(frame("count"), state)).outputs().get(0))).isEqualTo("2");

        try (UdfInstance other = runtime.newInstance()) {
            assertThat(text(emitted(other.process(frame("count"), state)).outputs().get(0))).isEqualTo("3");
            assertThat(text(emitted(other.process(frame("forget"), state)).outputs().get(0))).isEqualTo("-1");
        }
        assertThat(state.get("host-api/count")).isEmpty();
    }

    @Test
    void appliesNoStateWriteOfAFrameThatFailed() {
        UdfState state = UdfState.inMemory();
        udf.process(frame("count"), state);

        UdfResult failed = udf.process(frame("count-then-trap"), state);

        assertThat(failed).isInstanceOfSatisfying(Failed.class,
                f -> assertThat(f.code()).isEqualTo(FailureCode.UDF_TRAP));
        assertThat(state.get("host-api/count")).hasValueSatisfying(value -> assertThat(value).containsExactly(1, 0, 0, 0));
        assertThat(text(emitted(udf.process(frame("count"), state)).outputs().get(0))).isEqualTo("2");
    }

    @Test
    void appliesStateWritesOfADroppedFrame() {
        UdfState state = UdfState.inMemory();

        assertThat(udf.process(frame("drop-after-put"), state)).isInstanceOf(Dropped.class);

        assertThat(state.get("host-api/count")).hasValueSatisfying(value -> assertThat(value).containsExactly(41, 0, 0, 0));
    }

    @Test
    void detectsOncePerImageAndMinimumFaceInAFrame() {
        Emitted emitted = emitted(udf.process(frame("detect-twice")));

        assertThat(text(emitted.outputs().get(0))).isEqualTo("[2,2]");
        assertThat(emitted.faces()).hasSize(2);
        // Twice on the frame's image (one inference), once on a crop (another image).
        assertThat(detector.calls()).hasSize(2);
    }

    @Test
    void refusesBadOutputNamesReservedOutputsAndFloods() {
        assertThat(failure(udf.process(frame("bad-name")))).isEqualTo("host-api@1.0.0 broke the ABI: output name "
                + "'Alerts!' must be 1-49 of a-z, 0-9 and '-', starting with a letter or digit");
        assertThat(failure(udf.process(frame("reserved")))).isEqualTo("host-api@1.0.0 broke the ABI: output "
                + "detections is reserved: use emit_detections");
        assertThat(failure(udf.process(frame("flood")))).isEqualTo("host-api@1.0.0 broke the ABI: a call may emit "
                + "at most 64 records to named outputs");
        assertThat(failure(udf.process(frame("long-key")))).isEqualTo("host-api@1.0.0 broke the ABI: state key "
                + "must be 1..256 bytes, got 300");
        assertThat(failure(udf.process(frame("empty-crop")))).isEqualTo("host-api@1.0.0 broke the ABI: image_crop "
                + "box is empty or outside the 640x480 image");
        assertThat(udf.process(frame("meta"))).isInstanceOf(Emitted.class);
    }

    @Test
    void decodesNothingForAFrameTheUdfDoesNotLookAt() {
        FrameInput notAnImage = new FrameInput("metrics", "m-1", 1L, ImageEncoding.JPEG, 640, 480,
                new byte[] {1, 2, 3});

        // process asks for frame_image, a handle, but never for pixels: the payload is never decoded.
        assertThat(udf.process(notAnImage)).isInstanceOf(Emitted.class);
        assertThat(udf.process(new FrameInput("crop", "c-1", 1L, ImageEncoding.JPEG, 640, 480, new byte[] {1, 2})))
                .isInstanceOfSatisfying(Failed.class, failed -> assertThat(failed.stage()).isEqualTo("decode"));
    }

    private static FrameInput frame(String camera) {
        return TestFrames.jpegFrame(camera);
    }

    private static Emitted emitted(UdfResult result) {
        assertThat(result).isInstanceOf(Emitted.class);
        return (Emitted) result;
    }

    private static String failure(UdfResult result) {
        assertThat(result).isInstanceOfSatisfying(Failed.class,
                failed -> assertThat(failed.code()).isEqualTo(FailureCode.UDF_ABI));
        return ((Failed) result).message();
    }

    private static String text(UdfOutput output) {
        return new String(output.payload(), StandardCharsets.UTF_8);
    }

    private static int channelDistance(int a, int b) {
        int max = 0;
        for (int shift = 0; shift <= 16; shift += 8) {
            max = Math.max(max, Math.abs(((a >> shift) & 0xFF) - ((b >> shift) & 0xFF)));
        }
        return max;
    }
}
