package io.sightline.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sightline.schemas.DeadLetterReason;
import io.sightline.schemas.FrameLimits;
import io.sightline.schemas.avro.ImageEncoding;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ImageProbeTest {

    private final ImageProbe probe = new ImageProbe(FrameLimits.DEFAULT_MAX_PIXELS);

    @Test
    void readsJpegSizeFromFrameHeader() throws Exception {
        byte[] jpeg = Files.readAllBytes(TestAssets.image("solvay-1927.jpg"));

        assertThat(probe.probe(jpeg)).isEqualTo(new ImageHeader(ImageEncoding.JPEG, 960, 661));
    }

    @Test
    void identifiesPngByContentDespiteJpgName() throws Exception {
        byte[] png = Files.readAllBytes(TestAssets.image("tf-mtcnn-test.jpg"));

        assertThat(probe.probe(png)).isEqualTo(new ImageHeader(ImageEncoding.PNG, 498, 310));
    }

    @Test
    void acceptsTruncatedJpegWhoseHeaderIsIntactSoTheDecoderCanReportIt() throws Exception {
        byte[] jpeg = Files.readAllBytes(TestAssets.image("solvay-1927.jpg"));

        assertThat(probe.probe(Arrays.copyOf(jpeg, jpeg.length / 2)).width()).isEqualTo(960);
    }

    @Test
    void rejectsTextAsUnsupportedFormat() {
        byte[] text = "hello, not an image".getBytes(StandardCharsets.US_ASCII);

        assertThatThrownBy(() -> probe.probe(text))
                .isInstanceOf(RejectedImageException.class)
                .hasMessageContaining("not a JPEG or PNG")
                .extracting(e -> ((RejectedImageException) e).reason())
                .isEqualTo(DeadLetterReason.UNSUPPORTED_FORMAT);
    }

    @Test
    void rejectsJpegCutBeforeItsFrameHeader() throws Exception {
        byte[] jpeg = Files.readAllBytes(TestAssets.image("solvay-1927.jpg"));

        assertThatThrownBy(() -> probe.probe(Arrays.copyOf(jpeg, 10)))
                .extracting(e -> ((RejectedImageException) e).reason())
                .isEqualTo(DeadLetterReason.MALFORMED_HEADER);
    }

    @Test
    void rejectsImagesAbovePixelLimit() throws Exception {
        byte[] jpeg = Files.readAllBytes(TestAssets.image("solvay-1927.jpg"));

        assertThatThrownBy(() -> new ImageProbe(960 * 660).probe(jpeg))
                .hasMessageContaining("960x661")
                .extracting(e -> ((RejectedImageException) e).reason())
                .isEqualTo(DeadLetterReason.TOO_LARGE);
    }
}
