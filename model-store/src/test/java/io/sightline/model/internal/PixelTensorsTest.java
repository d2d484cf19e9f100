package io.sightline.model.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.sightline.model.RgbImages;
import io.sightline.model.TestAssets;
import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TUint8;

class PixelTensorsTest {

    private static final BufferedImage SOLVAY = TestAssets.image("solvay-1927.jpg");

    @Test
    void aPackedImageGoesInAsBytesInTheGraphsChannelOrderWhicheverOrderItIsIn() {
        BufferedImage bgr = SOLVAY;
        BufferedImage rgb = RgbImages.packed(SOLVAY);
        assertThat(RgbImages.isPackedBgr(bgr)).isTrue();
        assertThat(RgbImages.isPacked(rgb)).isTrue();
        int pixel = SOLVAY.getRGB(7, 3);

        for (BufferedImage image : new BufferedImage[] {bgr, rgb}) {
            for (boolean graphTakesRgb : new boolean[] {true, false}) {
                try (PixelTensors.Input input = PixelTensors.input(image, true, graphTakesRgb)) {
                    assertThat(input.bytes()).isTrue();
                    TUint8 bytes = (TUint8) input.tensor();
                    assertThat(bytes.shape().asArray()).containsExactly(661, 960, 3);
                    int first = bytes.getByte(3, 7, 0) & 0xff;
                    int third = bytes.getByte(3, 7, 2) & 0xff;
                    assertThat(first).isEqualTo(graphTakesRgb ? (pixel >> 16) & 0xff : pixel & 0xff);
                    assertThat(third).isEqualTo(graphTakesRgb ? pixel & 0xff : (pixel >> 16) & 0xff);
                    assertThat(bytes.getByte(3, 7, 1) & 0xff).isEqualTo((pixel >> 8) & 0xff);
                }
            }
        }
    }

    @Test
    void anythingNotPackedOrAGraphWithoutTheByteInputGetsFloatsInTheGraphsOrder() {
        BufferedImage ints = new BufferedImage(20, 10, BufferedImage.TYPE_INT_RGB);
        ints.setRGB(2, 1, 0x102030);

        for (var input : new PixelTensors.Input[] {
                PixelTensors.input(SOLVAY.getSubimage(10, 10, 100, 50), true, true),
                PixelTensors.input(ints, true, true),
                PixelTensors.input(SOLVAY, false, true)}) {
            try (input) {
                assertThat(input.bytes()).isFalse();
                assertThat(input.tensor()).isInstanceOf(TFloat32.class);
            }
        }
        try (TFloat32 rgb = PixelTensors.of(ints, true); TFloat32 bgr = PixelTensors.of(ints, false)) {
            assertThat(new float[] {rgb.getFloat(1, 2, 0), rgb.getFloat(1, 2, 1), rgb.getFloat(1, 2, 2)})
                    .containsExactly(0x10, 0x20, 0x30);
            assertThat(new float[] {bgr.getFloat(1, 2, 0), bgr.getFloat(1, 2, 1), bgr.getFloat(1, 2, 2)})
                    .containsExactly(0x30, 0x20, 0x10);
        }
    }
}
