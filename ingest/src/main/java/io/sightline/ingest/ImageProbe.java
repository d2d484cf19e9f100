package io.sightline.ingest;

import static io.sightline.schemas.DeadLetterReason.MALFORMED_HEADER;
import static io.sightline.schemas.DeadLetterReason.TOO_LARGE;
import static io.sightline.schemas.DeadLetterReason.UNSUPPORTED_FORMAT;

import io.sightline.schemas.avro.ImageEncoding;

/**
 * Identifies JPEG and PNG images by their content (never by file name) and reads their size from the header.
 * Decoding is left to the processor, where a broken body becomes a dead letter with a decode reason.
 */
public final class ImageProbe {

    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

    private final long maxPixels;

    /** @param maxPixels largest width × height accepted; larger images are rejected before they reach Kafka */
    public ImageProbe(long maxPixels) {
        if (maxPixels <= 0) {
            throw new IllegalArgumentException("maxPixels must be positive, got " + maxPixels);
        }
        this.maxPixels = maxPixels;
    }

    public ImageHeader probe(byte[] bytes) throws RejectedImageException {
        ImageHeader header;
        if (startsWith(bytes, PNG_SIGNATURE)) {
            header = pngHeader(bytes);
        } else if (bytes.length >= 3 && u8(bytes, 0) == 0xFF && u8(bytes, 1) == 0xD8 && u8(bytes, 2) == 0xFF) {
            header = jpegHeader(bytes);
        } else {
            throw new RejectedImageException(UNSUPPORTED_FORMAT, "not a JPEG or PNG image (first bytes " + hex(bytes, 4) + ")");
        }
        if ((long) header.width() * header.height() > maxPixels) {
            throw new RejectedImageException(TOO_LARGE, header.width() + "x" + header.height()
                    + " exceeds the limit of " + maxPixels + " pixels");
        }
        return header;
    }

    private static ImageHeader pngHeader(byte[] b) throws RejectedImageException {
        // Signature (8) + IHDR length (4) + "IHDR" (4), then width and height as big-endian ints.
        if (b.length < 24 || b[12] != 'I' || b[13] != 'H' || b[14] != 'D' || b[15] != 'R') {
            throw new RejectedImageException(MALFORMED_HEADER, "PNG without an IHDR chunk");
        }
        return header(ImageEncoding.PNG, i32(b, 16), i32(b, 20));
    }

    private static ImageHeader jpegHeader(byte[] b) throws RejectedImageException {
        int pos = 2;
        while (pos + 4 <= b.length) {
            if (u8(b, pos) != 0xFF) {
                throw new RejectedImageException(MALFORMED_HEADER, "JPEG marker expected at byte " + pos);
            }
            int marker = u8(b, pos + 1);
            if (marker == 0xFF) { // fill byte before a marker
                pos++;
                continue;
            }
            if (marker == 0xD8 || (marker >= 0xD0 && marker <= 0xD7) || marker == 0x01) {
                pos += 2; // markers without a length field
                continue;
            }
            if (marker == 0xD9 || marker == 0xDA) {
                break; // end of image or start of scan before any frame header
            }
            int length = u16(b, pos + 2);
            if (isStartOfFrame(marker)) {
                if (pos + 9 > b.length) {
                    break;
                }
                return header(ImageEncoding.JPEG, u16(b, pos + 7), u16(b, pos + 5));
            }
            pos += 2 + length;
        }
        throw new RejectedImageException(MALFORMED_HEADER, "JPEG without a frame header (SOF) before its image data");
    }

    /** SOF0..SOF15, except DHT (C4), JPG (C8) and DAC (CC) which share the range. */
    private static boolean isStartOfFrame(int marker) {
        return marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
    }

    private static ImageHeader header(ImageEncoding encoding, int width, int height) throws RejectedImageException {
        if (width <= 0 || height <= 0) {
            throw new RejectedImageException(MALFORMED_HEADER, encoding + " header gives size " + width + "x" + height);
        }
        return new ImageHeader(encoding, width, height);
    }

    private static boolean startsWith(byte[] bytes, byte[] prefix) {
        if (bytes.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (bytes[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static int u8(byte[] b, int i) {
        return b[i] & 0xFF;
    }

    private static int u16(byte[] b, int i) {
        return (u8(b, i) << 8) | u8(b, i + 1);
    }

    private static int i32(byte[] b, int i) {
        return (u16(b, i) << 16) | u16(b, i + 2);
    }

    private static String hex(byte[] b, int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(n, b.length); i++) {
            sb.append(String.format("%02x", b[i]));
        }
        return sb.isEmpty() ? "<empty>" : sb.toString();
    }
}
