package io.sightline.udf;

import static org.assertj.core.api.Assertions.assertThat;

import io.sightline.model.BoundingBox;
import io.sightline.udf.UdfResult.Emitted;
import io.sightline.udf.UdfResult.Failed;
import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Memory stays bounded for any image: the size comes from the header, big images are decoded subsampled. */
class ImageLimitsTest {

    private final FakeFaceDetector detector = new FakeFaceDetector(List.of(FakeFaceDetector.face(10, 10, 60, 60, 1f)));

    @Test
    void decodesAnImageAboveTheDecodeCapSubsampledAndReportsFacesInOriginalPixels() {
        // 640x480 = 307 200 pixels; every second pixel (320x240 = 76 800) fits under 80 000.
        var limits = new ImageLimits(1_000_000, 80_000, ImageLimits.DEFAULT_MAX_IMAGE_BYTES, 0.85f);

        Emitted emitted = (Emitted) process(limits, TestFrames.jpegFrame("cam"));

        assertThat(emitted.imageWidth()).isEqualTo(640);
        assertThat(emitted.imageHeight()).isEqualTo(480);
        assertThat(emitted.faces()).singleElement()
                .satisfies(face -> assertThat(face.box()).isEqualTo(new BoundingBox(20, 20, 120, 120)))
                .satisfies(face -> assertThat(face.landmarks().get(2).x()).isEqualTo(70f));
        EncodedImage annotated = emitted.annotated().orElseThrow();
        assertThat(annotated.width()).isEqualTo(320);
        assertThat(annotated.height()).isEqualTo(240);
        assertThat(emitted.annotatedFit()).isEqualTo(ImageFit.REDUCED);
    }

    @Test
    void refusesAnImageAboveThePixelCapBeforeDecodingIt() {
        var limits = new ImageLimits(300_000, 80_000, ImageLimits.DEFAULT_MAX_IMAGE_BYTES, 0.85f);

        UdfResult result = process(limits, TestFrames.jpegFrame("cam"));

        assertThat(result).isEqualTo(new Failed(FailureCode.IMAGE_TOO_LARGE, "decode",
                "image of 640x480 exceeds the limit of 300000 pixels"));
        assertThat(detector.calls()).isEmpty();
    }

    @Test
    void failsAPngHeaderClaimingANegativeSizeAsADecodeError() {
        byte[] png = TestFrames.encode(TestFrames.gradient(), "png");
        ByteBuffer.wrap(png).putInt(16, -5).putInt(20, -5); // IHDR width and height

        UdfResult result = process(ImageLimits.defaults(), TestFrames.frame("cam", ImageEncoding.PNG, 0, 0, png));

        assertThat(result).isInstanceOfSatisfying(Failed.class,
                failed -> assertThat(failed.code()).isEqualTo(FailureCode.IMAGE_DECODE));
    }

    @Test
    void reencodesAnAnnotatedImageWhosePngIsTooLargeAsASmallerJpeg() {
        byte[] noisy = TestFrames.encode(noise(640, 480), "png");
        var limits = new ImageLimits(1_000_000, 1_000_000, 60_000, 0.85f);

        Emitted emitted = (Emitted) process(limits, TestFrames.frame("cam", ImageEncoding.PNG, 640, 480, noisy));

        EncodedImage annotated = emitted.annotated().orElseThrow();
        assertThat(emitted.annotatedFit()).isEqualTo(ImageFit.REDUCED);
        assertThat(annotated.encoding()).isEqualTo(ImageEncoding.JPEG);
        assertThat(annotated.bytes().length).isLessThanOrEqualTo(60_000);
        BufferedImage decoded = TestFrames.decode(annotated.bytes());
        assertThat(decoded.getWidth()).isEqualTo(annotated.width()).isLessThan(640);
        assertThat(emitted.faces()).hasSize(1);
    }

    @Test
    void omitsAnAnnotatedImageThatCannotFitAndSaysSo() {
        var limits = new ImageLimits(1_000_000, 1_000_000, 500, 0.85f);

        Emitted emitted = (Emitted) process(limits, TestFrames.jpegFrame("cam"));

        assertThat(emitted.annotated()).isEmpty();
        assertThat(emitted.annotatedFit()).isEqualTo(ImageFit.OMITTED);
        assertThat(emitted.faces()).hasSize(1);
    }

    @Test
    void keepsALosslessPngWhenItFits() {
        Emitted emitted = (Emitted) process(ImageLimits.defaults(), TestFrames.jpegFrame("cam"));

        assertThat(emitted.annotatedFit()).isEqualTo(ImageFit.FULL);
        assertThat(emitted.annotated().orElseThrow().encoding()).isEqualTo(ImageEncoding.PNG);
    }

    private UdfResult process(ImageLimits limits, FrameInput frame) {
        try (UdfRuntime runtime = UdfRuntime.faceAnnotate(detector, UdfConfig.defaults().withImages(limits));
                UdfInstance udf = runtime.newInstance()) {
            return udf.process(frame);
        }
    }

    private static BufferedImage noise(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Random random = new Random(7);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, random.nextInt(0x1000000));
            }
        }
        return image;
    }
}
