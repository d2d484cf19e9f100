package io.sightline.udf;

import static org.assertj.core.api.Assertions.assertThat;

import io.sightline.udf.UdfResult.Emitted;
import io.sightline.udf.UdfResult.Failed;
import java.awt.image.BufferedImage;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Frames whose payload is not the image it claims to be never reach the UDF or the detector. */
class BadFrameTest {

    private final FakeFaceDetector detector = new FakeFaceDetector(List.of(FakeFaceDetector.face(10, 10, 60, 60, 1f)));
    private final UdfRuntime runtime = UdfRuntime.faceAnnotate(detector, UdfConfig.defaults());
    private final UdfInstance udf = runtime.newInstance();

    @AfterEach
    void close() {
        udf.close();
        runtime.close();
    }

    @Test
    void failsTruncatedJpegWithDecodeReason() {
        byte[] solvay = TestFrames.sampleImage("solvay-1927.jpg");
        byte[] firstHalf = Arrays.copyOf(solvay, solvay.length / 2);

        UdfResult result = udf.process(TestFrames.frame("cam-1", ImageEncoding.JPEG, 960, 661, firstHalf));

        assertThat(result).isInstanceOfSatisfying(Failed.class, failed -> {
            assertThat(failed.code()).isEqualTo(FailureCode.IMAGE_DECODE);
            assertThat(failed.stage()).isEqualTo("decode");
            assertThat(failed.message()).contains("corrupt JPEG").containsIgnoringCase("premature end");
        });
        assertThat(detector.calls()).isEmpty();
    }

    @Test
    void decodesTheCompleteSolvayJpeg() {
        byte[] solvay = TestFrames.sampleImage("solvay-1927.jpg");

        UdfResult result = udf.process(TestFrames.frame("cam-1", ImageEncoding.JPEG, 960, 661, solvay));

        assertThat(result).isInstanceOfSatisfying(Emitted.class, emitted -> {
            assertThat(emitted.imageWidth()).isEqualTo(960);
            assertThat(emitted.imageHeight()).isEqualTo(661);
        });
    }

    @Test
    void failsTruncatedPngWithDecodeReason() {
        byte[] png = TestFrames.encode(TestFrames.gradient(), "png");
        byte[] truncated = Arrays.copyOf(png, png.length / 2);

        UdfResult result = udf.process(TestFrames.frame("cam-1", ImageEncoding.PNG, 0, 0, truncated));

        assertThat(result).isInstanceOfSatisfying(Failed.class,
                failed -> assertThat(failed.code()).isEqualTo(FailureCode.IMAGE_DECODE));
    }

    @Test
    void failsAPayloadThatIsNotTheDeclaredEncoding() {
        byte[] jpeg = TestFrames.gradientJpeg();

        UdfResult result = udf.process(TestFrames.frame("cam-1", ImageEncoding.PNG, 0, 0, jpeg));

        assertThat(result).isEqualTo(new Failed(FailureCode.IMAGE_DECODE, "decode",
                "payload of " + jpeg.length + " bytes is not a PNG (bad signature)"));
    }

    @Test
    void failsAnImageWhoseSizeDiffersFromTheDeclaredOne() {
        UdfResult result = udf.process(
                TestFrames.frame("cam-1", ImageEncoding.JPEG, 1280, 720, TestFrames.gradientJpeg()));

        assertThat(result).isEqualTo(new Failed(FailureCode.IMAGE_SIZE_MISMATCH, "decode",
                "declared 1280x720 but the JPEG is 640x480"));
    }

    @Test
    void failsARawFrameOfTheWrongLength() {
        UdfResult result = udf.process(TestFrames.frame("cam-1", ImageEncoding.BGR24, 4, 2, new byte[23]));

        assertThat(result).isEqualTo(new Failed(FailureCode.IMAGE_SIZE_MISMATCH, "decode",
                "BGR24 payload has 23 bytes, 4x2 needs 24"));
    }

    @Test
    void acceptsAnEncodedFrameWithoutDeclaredSize() {
        UdfResult result = udf.process(TestFrames.frame("cam-1", ImageEncoding.JPEG, 0, 0, TestFrames.gradientJpeg()));

        assertThat(result).isInstanceOfSatisfying(Emitted.class,
                emitted -> assertThat(emitted.imageWidth()).isEqualTo(TestFrames.WIDTH));
    }

    @Test
    void annotatesGreyscaleImagesInColour() {
        BufferedImage grey = new BufferedImage(200, 100, BufferedImage.TYPE_BYTE_GRAY);
        byte[] png = TestFrames.encode(grey, "png");

        Emitted emitted = (Emitted) udf.process(TestFrames.frame("cam-1", ImageEncoding.PNG, 200, 100, png));

        BufferedImage annotated = TestFrames.decode(emitted.annotated().orElseThrow().bytes());
        assertThat(annotated.getRGB(10, 30) & 0xFFFFFF).isEqualTo(0x00c853);
    }
}
