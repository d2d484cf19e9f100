package io.sightline.udf.internal;

/** Reads what a JPEG's frame header says without decoding anything. */
final class Jpegs {

    private static final int MARKER = 0xFF;
    private static final int SOI = 0xD8;
    private static final int EOI = 0xD9;
    private static final int SOS = 0xDA;
    private static final int BASELINE = 0xC0;
    private static final int EXTENDED = 0xC1;
    private static final int PROGRESSIVE = 0xC2;

    private Jpegs() {}

    /** What a frame header (SOFn) declares: size in pixels and number of colour components. */
    record FrameHeader(int width, int height, int components) {}

    /**
     * The number of colour components in the frame header of a Huffman-coded JPEG (baseline, extended or
     * progressive: 1 grey, 3 YCbCr/RGB, 4 CMYK), or -1 when there is no such header: not a JPEG, scan data before
     * any frame header, or another coding (lossless, arithmetic) that not every decoder reads.
     */
    static int components(byte[] jpeg) {
        FrameHeader header = frameHeader(jpeg);
        return header == null ? -1 : header.components();
    }

    /** The frame header of a Huffman-coded JPEG, or null where {@link #components} gives -1. */
    static FrameHeader frameHeader(byte[] jpeg) {
        if (jpeg.length < 4 || (jpeg[0] & 0xFF) != MARKER || (jpeg[1] & 0xFF) != SOI) {
            return null;
        }
        int p = 2;
        while (p + 4 <= jpeg.length) {
            if ((jpeg[p] & 0xFF) != MARKER) {
                return null;
            }
            int marker = jpeg[p + 1] & 0xFF;
            if (marker == MARKER) {
                p++; // fill byte before a marker
                continue;
            }
            if (marker == SOS || marker == EOI) {
                return null;
            }
            int length = ((jpeg[p + 2] & 0xFF) << 8) | (jpeg[p + 3] & 0xFF);
            if (isFrameHeader(marker)) {
                boolean huffman = marker == BASELINE || marker == EXTENDED || marker == PROGRESSIVE;
                // length(2) precision(1) height(2) width(2) components(1)
                if (!huffman || p + 9 >= jpeg.length) {
                    return null;
                }
                return new FrameHeader(uint16(jpeg, p + 7), uint16(jpeg, p + 5), jpeg[p + 9] & 0xFF);
            }
            if (length < 2) {
                return null;
            }
            p += 2 + length;
        }
        return null;
    }

    private static int uint16(byte[] bytes, int at) {
        return ((bytes[at] & 0xFF) << 8) | (bytes[at + 1] & 0xFF);
    }

    /** SOF0-SOF15 except DHT (C4), JPG (C8) and DAC (CC), which share the range. */
    private static boolean isFrameHeader(int marker) {
        return marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
    }
}
