package io.sightline.model.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.sightline.model.TestAssets;
import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TUint8;

class BgrTensorsTest {

    @Test
    void aDecodedJpegGoesInAsItsOwnBytes() {
        BufferedImage solvay = TestAssets.image("solvay-1927.jpg");

        try (BgrTensors.Input input = BgrTensors.input(solvay, true)) {
            assertThat(input.bytes()).isTrue();
            assertThat(input.tensor()).isInstanceOf(TUint8.class);
            assertThat(input.tensor().shape().asArray()).containsExactly(661, 960, 3);
            // First pixel: the array's first three bytes are its blue, green and red.
            int rgb = solvay.getRGB(0, 0);
            TUint8 bytes = (TUint8) input.tensor();
            assertThat(bytes.getByte(0, 0, 0) & 0xff).isEqualTo(rgb & 0xff);
            assertThat(bytes.getByte(0, 0, 2) & 0xff).isEqualTo((rgb >> 16) & 0xff);
        }
    }

    @Test
    void anythingNotPackedBgrOrAGraphWithoutTheByteInputGetsFloats() {
        BufferedImage solvay = TestAssets.image("solvay-1927.jpg");
        BufferedImage ints = new BufferedImage(20, 10, BufferedImage.TYPE_INT_RGB);

        for (var input : new BgrTensors.Input[] {
                BgrTensors.input(solvay.getSubimage(10, 10, 100, 50), true),
                BgrTensors.input(ints, true),
                BgrTensors.input(solvay, false)}) {
            try (input) {
                assertThat(input.bytes()).isFalse();
                assertThat(input.tensor()).isInstanceOf(TFloat32.class);
            }
        }
    }
}
