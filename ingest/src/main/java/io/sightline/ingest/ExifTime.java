package io.sightline.ingest;

import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;

/**
 * When a JPEG says it was taken: EXIF {@code DateTimeOriginal} (else {@code DateTime}), with
 * {@code OffsetTimeOriginal} when the camera wrote one, else in the given zone (cameras write local time). Anything
 * missing or malformed gives empty, never an exception: the caller falls back to the file's time.
 */
final class ExifTime {

    /** The EXIF block sits in the first segments; a file's first 64 KiB hold it. */
    static final int HEADER_BYTES = 64 * 1024;

    private static final int TAG_DATE_TIME = 0x0132;
    private static final int TAG_EXIF_IFD = 0x8769;
    private static final int TAG_DATE_TIME_ORIGINAL = 0x9003;
    private static final int TAG_OFFSET_TIME_ORIGINAL = 0x9011;
    private static final DateTimeFormatter EXIF_FORMAT = DateTimeFormatter.ofPattern("yyyy:MM:dd HH:mm:ss");

    private ExifTime() {}

    static Optional<Instant> of(byte[] b, ZoneId zone) {
        try {
            int tiff = tiffStart(b);
            return tiff < 0 ? Optional.empty() : fromTiff(b, tiff, zone);
        } catch (IndexOutOfBoundsException | DateTimeException e) {
            return Optional.empty();
        }
    }

    /** Offset of the TIFF header inside the APP1 "Exif" segment, or -1. */
    private static int tiffStart(byte[] b) {
        if (b.length < 4 || (b[0] & 0xFF) != 0xFF || (b[1] & 0xFF) != 0xD8) {
            return -1;
        }
        int pos = 2;
        while (pos + 4 <= b.length && (b[pos] & 0xFF) == 0xFF) {
            int marker = b[pos + 1] & 0xFF;
            if (marker == 0xDA || marker == 0xD9) {
                return -1;
            }
            int length = ((b[pos + 2] & 0xFF) << 8) | (b[pos + 3] & 0xFF);
            if (marker == 0xE1 && pos + 10 <= b.length
                    && new String(b, pos + 4, 6, StandardCharsets.ISO_8859_1).equals("Exif\0\0")) {
                return pos + 10;
            }
            pos += 2 + length;
        }
        return -1;
    }

    private static Optional<Instant> fromTiff(byte[] b, int tiff, ZoneId zone) {
        boolean little = b[tiff] == 'I' && b[tiff + 1] == 'I';
        if (!little && !(b[tiff] == 'M' && b[tiff + 1] == 'M')) {
            return Optional.empty();
        }
        var reader = new Tiff(b, tiff, little);
        int ifd0 = reader.u32(4);
        String dateTime = reader.ascii(ifd0, TAG_DATE_TIME);
        int exifIfd = reader.value(ifd0, TAG_EXIF_IFD);
        String original = exifIfd > 0 ? reader.ascii(exifIfd, TAG_DATE_TIME_ORIGINAL) : null;
        String offset = exifIfd > 0 ? reader.ascii(exifIfd, TAG_OFFSET_TIME_ORIGINAL) : null;
        String taken = original != null ? original : dateTime;
        if (taken == null || taken.isBlank() || taken.startsWith("0000")) {
            return Optional.empty();
        }
        LocalDateTime local = LocalDateTime.parse(taken.strip(), EXIF_FORMAT);
        ZoneId at = original != null && offset != null && !offset.isBlank() ? ZoneOffset.of(offset.strip()) : zone;
        return Optional.of(local.atZone(at).toInstant());
    }

    /** Reads IFD entries relative to the TIFF header, in its byte order. */
    private record Tiff(byte[] b, int base, boolean little) {

        int u16(int at) {
            int lo = b[base + at] & 0xFF;
            int hi = b[base + at + 1] & 0xFF;
            return little ? lo | hi << 8 : hi | lo << 8;
        }

        int u32(int at) {
            int first = u16(at);
            int second = u16(at + 2);
            return little ? first | second << 16 : second | first << 16;
        }

        /** The entry's value or offset field, or -1 when the IFD has no such tag. */
        int value(int ifd, int tag) {
            int entry = entry(ifd, tag);
            return entry < 0 ? -1 : u32(entry + 8);
        }

        /** An ASCII entry's text (type 2, NUL-terminated), or null. */
        String ascii(int ifd, int tag) {
            int entry = entry(ifd, tag);
            if (entry < 0 || u16(entry + 2) != 2) {
                return null;
            }
            int count = u32(entry + 4);
            int at = count <= 4 ? entry + 8 : u32(entry + 8);
            int length = 0;
            while (length < count && b[base + at + length] != 0) {
                length++;
            }
            return new String(b, base + at, length, StandardCharsets.ISO_8859_1);
        }

        private int entry(int ifd, int tag) {
            int entries = u16(ifd);
            for (int i = 0; i < entries; i++) {
                int entry = ifd + 2 + 12 * i;
                if (u16(entry) == tag) {
                    return entry;
                }
            }
            return -1;
        }
    }
}
