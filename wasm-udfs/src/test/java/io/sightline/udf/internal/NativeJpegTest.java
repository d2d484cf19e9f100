package io.sightline.udf.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import io.sightline.model.RgbImages;
import io.sightline.udf.EncodedImage;
import io.sightline.udf.ImageEncoding;
import io.sightline.udf.ImageFit;
import io.sightline.udf.ImageLimits;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The libjpeg-turbo path decodes exactly what ImageIO decodes, takes only what it can, and writes valid JPEGs. */
class NativeJpegTest {

    private static final Jpegs.FrameHeader SOLVAY = new Jpegs.FrameHeader(960, 661, 3);

    @ParameterizedTest
    @ValueSource(strings = {"solvay-1927.jpg", "tf-mtcnn-test.jpg"})
    void decodesTheSamplePhotosToTheSamePixelsAsImageIo(String name) throws IOException {
        // tf-mtcnn-test.jpg holds a PNG: re-encoded here as a colour JPEG (4:2:0, unlike Solvay's file).
        byte[] file = Files.readAllBytes(sample(name));
        byte[] jpeg = Jpegs.components(file) == 3 ? file : encode(opaque(ImageIO.read(sample(name).toFile())));
        BufferedImage expected = ImageIO.read(new ByteArrayInputStream(jpeg));

        BufferedImage actual = NativeJpeg.get().decode(jpeg, Jpegs.frameHeader(jpeg)).orElseThrow();

        assertThat(RgbImages.isPacked(actual)).as("the codec's own RGB order, as the detector takes it").isTrue();
        assertThat(rgb(actual)).isEqualTo(rgb(expected));
    }

    @Test
    void leavesGreyTruncatedAndMisdeclaredJpegsToImageIo() throws IOException {
        BufferedImage grey = new BufferedImage(40, 30, BufferedImage.TYPE_BYTE_GRAY);
        byte[] greyJpeg = encode(grey);
        byte[] colour = Files.readAllBytes(sample("solvay-1927.jpg"));
        byte[] truncated = Arrays.copyOf(colour, colour.length / 2);

        assertThat(Jpegs.components(greyJpeg)).isEqualTo(1);
        assertThat(NativeJpeg.get().decode(greyJpeg, Jpegs.frameHeader(greyJpeg))).isEmpty();
        assertThat(NativeJpeg.get().decode(truncated, SOLVAY)).isEmpty();
        assertThat(NativeJpeg.get().decode(colour, new Jpegs.FrameHeader(959, 661, 3))).isEmpty();
        assertThat(NativeJpeg.get().decode(colour, SOLVAY)).isPresent();
    }

    @Test
    void readsSizeAndComponentCountFromTheFrameHeaderOnly() throws IOException {
        byte[] colour = Files.readAllBytes(sample("solvay-1927.jpg"));
        byte[] wide = encode(opaque(new BufferedImage(300, 17, BufferedImage.TYPE_INT_RGB)));

        assertThat(Jpegs.frameHeader(colour)).isEqualTo(new Jpegs.FrameHeader(960, 661, 3));
        assertThat(Jpegs.frameHeader(wide)).isEqualTo(new Jpegs.FrameHeader(300, 17, 3));
        assertThat(Jpegs.frameHeader(Arrays.copyOf(colour, 20))).isNull();
        assertThat(Jpegs.components(colour)).isEqualTo(3);
        assertThat(Jpegs.components(new byte[] {(byte) 0x89, 'P', 'N', 'G'})).isEqualTo(-1);
        assertThat(Jpegs.components(Arrays.copyOf(colour, 20))).isEqualTo(-1);
    }

    @Test
    void encodesAJpegImageIoReadsBackCloseToTheOriginal() throws IOException {
        byte[] jpeg = Files.readAllBytes(sample("solvay-1927.jpg"));
        BufferedImage image = NativeJpeg.get().decode(jpeg, SOLVAY).orElseThrow();
        assertThat(NativeJpeg.encodes(image)).isTrue();

        byte[] written = NativeJpeg.get().encode(image, 85);

        BufferedImage read = ImageIO.read(new ByteArrayInputStream(written));
        assertThat(read.getWidth()).isEqualTo(960);
        assertThat(read.getHeight()).isEqualTo(661);
        assertThat(meanAbsoluteError(read, image)).isLessThan(4.0);
        assertThat(NativeJpeg.get().encode(image, 20).length).isLessThan(written.length);
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void encodedColoursStayWhereTheyWereInRgbAndBgrImages(boolean rgbLayout) throws IOException {
        // The sample photo is black and white: only colour shows whether red and blue were swapped correctly.
        BufferedImage image = rgbLayout
                ? RgbImages.create(64, 48)
                : new BufferedImage(64, 48, BufferedImage.TYPE_3BYTE_BGR);
        var g = image.createGraphics();
        g.setColor(java.awt.Color.RED);
        g.fillRect(0, 0, 32, 48);
        g.setColor(java.awt.Color.BLUE);
        g.fillRect(32, 0, 32, 48);
        g.dispose();

        BufferedImage read = ImageIO.read(new ByteArrayInputStream(NativeJpeg.get().encode(image, 95)));

        java.awt.Color left = new java.awt.Color(read.getRGB(8, 24));
        java.awt.Color right = new java.awt.Color(read.getRGB(56, 24));
        assertThat(left.getRed()).isGreaterThan(240);
        assertThat(left.getBlue()).isLessThan(16);
        assertThat(right.getBlue()).isGreaterThan(240);
        assertThat(right.getRed()).isLessThan(16);
        assertThat(image.getRGB(8, 24)).as("the frame itself is left as it was").isEqualTo(0xFFFF0000);
    }

    @Test
    void refusesToEncodeImagesThatAreNotPacked8BitRgbOrBgr() {
        BufferedImage bgr = new BufferedImage(64, 48, BufferedImage.TYPE_3BYTE_BGR);

        assertThat(NativeJpeg.encodes(RgbImages.create(64, 48))).isTrue();
        assertThat(NativeJpeg.encodes(bgr)).isTrue();
        assertThat(NativeJpeg.encodes(bgr.getSubimage(4, 4, 20, 20))).isFalse();
        assertThat(NativeJpeg.encodes(new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB))).isFalse();
    }

    @Test
    void annotatedImagesAsJpegAreFullWhenTheyFitAtTheConfiguredQuality() throws IOException {
        byte[] jpeg = Files.readAllBytes(sample("solvay-1927.jpg"));
        BufferedImage image = NativeJpeg.get().decode(jpeg, SOLVAY).orElseThrow();
        ImageLimits asJpeg = ImageLimits.defaults().withAnnotated(ImageEncoding.JPEG, 0.85f);

        AnnotatedEncoder.Fitted fitted = AnnotatedEncoder.fit(image, asJpeg);
        AnnotatedEncoder.Fitted asPng = AnnotatedEncoder.fit(image, ImageLimits.defaults());

        EncodedImage encoded = fitted.image().orElseThrow();
        assertThat(fitted.fit()).isEqualTo(ImageFit.FULL);
        assertThat(encoded.encoding()).isEqualTo(ImageEncoding.JPEG);
        assertThat(encoded.bytes()).startsWith((byte) 0xFF, (byte) 0xD8);
        assertThat(asPng.image().orElseThrow().encoding()).isEqualTo(ImageEncoding.PNG);
        assertThat(encoded.bytes().length * 4).isLessThan(asPng.image().orElseThrow().bytes().length);
    }

    @Test
    void anImageWithAlphaAsJpegAtItsSizeAndQualityIsFullNotReduced() throws IOException {
        // tf-mtcnn-test is an RGBA PNG: its alpha is flattened for the JPEG, which is no reduction.
        BufferedImage rgba = ImageIO.read(sample("tf-mtcnn-test.jpg").toFile());
        assertThat(rgba.getColorModel().hasAlpha()).isTrue();
        ImageLimits asJpeg = ImageLimits.defaults().withAnnotated(ImageEncoding.JPEG, 0.85f);

        AnnotatedEncoder.Fitted fitted = AnnotatedEncoder.fit(rgba, asJpeg);

        assertThat(fitted.fit()).isEqualTo(ImageFit.FULL);
        assertThat(fitted.image().orElseThrow().width()).isEqualTo(rgba.getWidth());
    }

    private static Path sample(String name) {
        String dir = System.getProperty("sightline.assets");
        Path file = dir == null ? null : Path.of(dir, "images", name);
        if (file == null || !Files.isRegularFile(file)) {
            fail("sample image " + name + " not found under " + dir + ": set -Dsightline.assets to the shared directory");
        }
        return file;
    }

    private static byte[] encode(BufferedImage image) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "jpeg", out);
        return out.toByteArray();
    }

    private static BufferedImage opaque(BufferedImage image) {
        BufferedImage bgr = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_3BYTE_BGR);
        bgr.createGraphics().drawImage(image, 0, 0, null);
        return bgr;
    }

    private static int[] rgb(BufferedImage image) {
        return image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
    }

    private static double meanAbsoluteError(BufferedImage a, BufferedImage b) {
        int[] x = rgb(a);
        int[] y = rgb(b);
        long sum = 0;
        for (int i = 0; i < x.length; i++) {
            for (int shift = 0; shift <= 16; shift += 8) {
                sum += Math.abs(((x[i] >> shift) & 0xFF) - ((y[i] >> shift) & 0xFF));
            }
        }
        return sum / (3.0 * x.length);
    }
}
