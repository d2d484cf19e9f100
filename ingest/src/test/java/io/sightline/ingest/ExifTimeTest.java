package io.sightline.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ExifTimeTest {

    @Test
    void readsDateTimeOriginalWithItsOffset() throws Exception {
        byte[] jpeg = withExif(Files.readAllBytes(TestAssets.image("solvay-1927.jpg")), "2026:03:04 05:06:07", "+02:00",
                ByteOrder.BIG_ENDIAN);

        assertThat(ExifTime.of(jpeg, ZoneOffset.UTC)).contains(Instant.parse("2026-03-04T03:06:07Z"));
    }

    @Test
    void readsLittleEndianExifWithoutOffsetInTheGivenZone() throws Exception {
        byte[] jpeg = withExif(Files.readAllBytes(TestAssets.image("solvay-1927.jpg")), "2026:03:04 05:06:07", null,
                ByteOrder.LITTLE_ENDIAN);

        assertThat(ExifTime.of(jpeg, ZoneOffset.ofHours(-5))).contains(Instant.parse("2026-03-04T10:06:07Z"));
    }

    @Test
    void givesNothingForImagesWithoutExifOrWithABrokenBlock() throws Exception {
        byte[] plain = Files.readAllBytes(TestAssets.image("solvay-1927.jpg"));
        byte[] exif = withExif(plain, "2026:03:04 05:06:07", null, ByteOrder.BIG_ENDIAN);

        assertThat(ExifTime.of(Files.readAllBytes(TestAssets.image("tf-mtcnn-test.jpg")), ZoneOffset.UTC)).isEmpty();
        assertThat(ExifTime.of(Arrays.copyOf(exif, 40), ZoneOffset.UTC)).isEmpty();
        assertThat(ExifTime.of(withExif(plain, "0000:00:00 00:00:00", null, ByteOrder.BIG_ENDIAN), ZoneOffset.UTC))
                .isEmpty();
        assertThat(ExifTime.of(withExif(plain, "not a time at all!!", null, ByteOrder.BIG_ENDIAN), ZoneOffset.UTC))
                .isEmpty();
    }

    /** The JPEG with an APP1 Exif segment in front: IFD0 pointing to an Exif IFD with the time (and offset). */
    static byte[] withExif(byte[] jpeg, String dateTimeOriginal, String offset, ByteOrder order) {
        int entries = offset == null ? 1 : 2;
        int exifIfd = 8 + 2 + 12 + 4;
        int data = exifIfd + 2 + 12 * entries + 4;
        ByteBuffer tiff = ByteBuffer.allocate(data + 20 + 7).order(order);
        tiff.put(order == ByteOrder.BIG_ENDIAN ? "MM".getBytes(StandardCharsets.US_ASCII)
                : "II".getBytes(StandardCharsets.US_ASCII));
        tiff.putShort((short) 42).putInt(8);
        tiff.putShort((short) 1).putShort((short) 0x8769).putShort((short) 4).putInt(1).putInt(exifIfd).putInt(0);
        tiff.putShort((short) entries);
        tiff.putShort((short) 0x9003).putShort((short) 2).putInt(20).putInt(data);
        if (offset != null) {
            tiff.putShort((short) 0x9011).putShort((short) 2).putInt(7).putInt(data + 20);
        }
        tiff.putInt(0);
        tiff.put((dateTimeOriginal + "\0").getBytes(StandardCharsets.US_ASCII));
        if (offset != null) {
            tiff.put((offset + "\0").getBytes(StandardCharsets.US_ASCII));
        }
        byte[] tiffBytes = Arrays.copyOf(tiff.array(), tiff.position());
        var out = new ByteArrayOutputStream();
        out.write(0xFF);
        out.write(0xD8);
        out.write(0xFF);
        out.write(0xE1);
        int length = 2 + 6 + tiffBytes.length;
        out.write(length >> 8);
        out.write(length & 0xFF);
        out.writeBytes("Exif\0\0".getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(tiffBytes);
        out.write(jpeg, 2, jpeg.length - 2);
        return out.toByteArray();
    }
}
