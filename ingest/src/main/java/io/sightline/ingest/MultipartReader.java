package io.sightline.ingest;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads the parts of a {@code multipart/x-mixed-replace} stream (MJPEG over HTTP) one at a time. Cameras differ, so
 * it is lenient: the boundary may be declared with or without its leading {@code --} and in quotes; lines may end in
 * CRLF or LF; bytes between parts are skipped; a part without {@code Content-Length} ends at the next boundary line
 * (not at the JPEG end marker, which also ends the thumbnail inside a JPEG's EXIF block). A part larger than the
 * limit is skipped without being held in memory and reported as {@link Part#oversized()}.
 */
final class MultipartReader {

    /** A part's body, or, when it was larger than the limit, only its size. */
    record Part(byte[] body, long size) {
        boolean oversized() {
            return body == null;
        }
    }

    private static final int MAX_LINE = 8 * 1024;

    private final InputStream in;
    private final byte[] boundary;
    private final int maxPartBytes;
    /** The previous part ended at a boundary line, so the next read starts with headers. */
    private boolean atHeaders;
    private boolean ended;

    /** @param boundary as declared in the Content-Type, quotes and a leading {@code --} allowed */
    MultipartReader(InputStream in, String boundary, int maxPartBytes) {
        this.in = in;
        this.boundary = normalized(boundary).getBytes(StandardCharsets.ISO_8859_1);
        this.maxPartBytes = maxPartBytes;
    }

    /** The boundary parameter of a multipart content type, if it has one. */
    static Optional<String> boundaryOf(String contentType) {
        for (String param : contentType.split(";")) {
            String p = param.strip();
            if (p.toLowerCase(Locale.ROOT).startsWith("boundary=")) {
                String value = normalized(p.substring("boundary=".length()));
                return value.isEmpty() ? Optional.empty() : Optional.of(value);
            }
        }
        return Optional.empty();
    }

    /**
     * The boundary of a stream that does not declare one (ffmpeg's {@code -listen 1} server sends
     * {@code application/octet-stream}): its first non-blank line when that is {@code --B}. Leaves the stream where it
     * was; needs {@link InputStream#markSupported()}.
     */
    static Optional<String> sniffBoundary(InputStream in) throws IOException {
        int limit = 512;
        in.mark(limit);
        try {
            byte[] head = in.readNBytes(limit);
            String text = new String(head, StandardCharsets.ISO_8859_1);
            for (String line : text.split("\r?\n", -1)) {
                if (line.isBlank()) {
                    continue;
                }
                String b = line.strip();
                return b.startsWith("--") && b.length() > 2 && b.length() < limit - 2 && !text.endsWith(line)
                        ? Optional.of(b.substring(2)) : Optional.empty();
            }
            return Optional.empty();
        } finally {
            in.reset();
        }
    }

    /** The next part, or empty at the closing boundary. Throws {@link EOFException} when the stream ends mid-part. */
    Optional<Part> next() throws IOException {
        if (ended) {
            return Optional.empty();
        }
        if (!atHeaders && !seekBoundaryLine()) {
            return Optional.empty();
        }
        long contentLength = readHeaders();
        Part part = contentLength >= 0 ? readCounted(contentLength) : readUntilBoundary();
        return Optional.of(part);
    }

    /** Skips to the line after the next boundary line; false at the closing boundary. */
    private boolean seekBoundaryLine() throws IOException {
        while (true) {
            byte[] line = readLine();
            int at = boundaryAt(line);
            if (at >= 0) {
                return !closes(line, at + boundary.length);
            }
        }
    }

    /**
     * Position of the boundary when the line is a boundary line, else -1. The line is the boundary after 0, 2 or 4
     * dashes: cameras that declare {@code --B} write {@code --B} or {@code ----B}.
     */
    private int boundaryAt(byte[] line) {
        for (int start = 0; start <= 4; start += 2) {
            if (dashes(line, 0, start) && startsWith(line, start, boundary)) {
                return start;
            }
        }
        return -1;
    }

    private boolean closes(byte[] line, int afterBoundary) {
        boolean closing = line.length >= afterBoundary + 2 && line[afterBoundary] == '-' && line[afterBoundary + 1] == '-';
        ended = closing;
        return closing;
    }

    /** Reads header lines up to the blank one; returns Content-Length, or -1 when absent. */
    private long readHeaders() throws IOException {
        long contentLength = -1;
        while (true) {
            String line = new String(readLine(), StandardCharsets.ISO_8859_1).strip();
            if (line.isEmpty()) {
                return contentLength;
            }
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).strip().equalsIgnoreCase("Content-Length")) {
                try {
                    contentLength = Long.parseLong(line.substring(colon + 1).strip());
                } catch (NumberFormatException e) {
                    contentLength = -1; // fall back to the boundary
                }
            }
        }
    }

    private Part readCounted(long length) throws IOException {
        atHeaders = false;
        if (length > maxPartBytes) {
            skipFully(length);
            return new Part(null, length);
        }
        byte[] body = in.readNBytes((int) length);
        if (body.length < length) {
            throw new EOFException("stream ended inside a part of " + length + " bytes");
        }
        return new Part(body, length);
    }

    /** Collects bytes until a line holding the boundary; keeps at most the limit plus a boundary's length. */
    private Part readUntilBoundary() throws IOException {
        int keep = boundary.length + 4; // "\r\n--" before it
        byte[] buf = new byte[Math.min(64 * 1024, maxPartBytes + keep)];
        int len = 0;
        long dropped = 0;
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("stream ended inside a part");
            }
            if (len == buf.length) {
                if (len < maxPartBytes + keep) {
                    buf = Arrays.copyOf(buf, (int) Math.min((long) len * 2, (long) maxPartBytes + keep));
                } else { // too large: forget all but the tail that may start a boundary
                    System.arraycopy(buf, len - keep, buf, 0, keep);
                    dropped += len - keep;
                    len = keep;
                }
            }
            buf[len++] = (byte) b;
            int bodyEnd = bodyEndBefore(buf, len);
            if (bodyEnd >= 0) {
                byte[] rest = readLine();
                closes(rest, 0);
                atHeaders = !ended;
                long size = dropped + bodyEnd;
                return size > maxPartBytes ? new Part(null, size) : new Part(Arrays.copyOf(buf, bodyEnd), size);
            }
        }
    }

    /** When the buffer ends with a boundary that starts a line, where the body before that line ends; else -1. */
    private int bodyEndBefore(byte[] buf, int len) {
        int at = len - boundary.length;
        if (at < 0 || buf[len - 1] != boundary[boundary.length - 1] || !startsWith(buf, at, boundary)) {
            return -1;
        }
        for (int lineStart = at; lineStart >= Math.max(0, at - 4); lineStart -= 2) {
            if (dashes(buf, lineStart, at) && (lineStart == 0 || buf[lineStart - 1] == '\n')) {
                int end = lineStart > 0 ? lineStart - 1 : 0;
                return end > 0 && buf[end - 1] == '\r' ? end - 1 : end;
            }
        }
        return -1;
    }

    /** One line without its CR/LF; a line longer than {@value #MAX_LINE} bytes is cut there (it is never a header). */
    private byte[] readLine() throws IOException {
        byte[] line = new byte[128];
        int len = 0;
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("stream ended");
            }
            if (b == '\n') {
                break;
            }
            if (len < MAX_LINE) {
                if (len == line.length) {
                    line = Arrays.copyOf(line, len * 2);
                }
                line[len++] = (byte) b;
            }
        }
        if (len > 0 && line[len - 1] == '\r') {
            len--;
        }
        return Arrays.copyOf(line, len);
    }

    private void skipFully(long n) throws IOException {
        long left = n;
        while (left > 0) {
            long skipped = in.skip(left);
            if (skipped <= 0) {
                if (in.read() < 0) {
                    throw new EOFException("stream ended inside a part of " + n + " bytes");
                }
                skipped = 1;
            }
            left -= skipped;
        }
    }

    private static boolean dashes(byte[] bytes, int from, int to) {
        if (to > bytes.length) {
            return false;
        }
        for (int i = from; i < to; i++) {
            if (bytes[i] != '-') {
                return false;
            }
        }
        return true;
    }

    private static boolean startsWith(byte[] bytes, int offset, byte[] prefix) {
        if (bytes.length - offset < prefix.length) {
            return false;
        }
        return Arrays.equals(bytes, offset, offset + prefix.length, prefix, 0, prefix.length);
    }

    private static String normalized(String boundary) {
        String b = boundary.strip();
        if (b.length() >= 2 && b.startsWith("\"") && b.endsWith("\"")) {
            b = b.substring(1, b.length() - 1);
        }
        return b.startsWith("--") ? b.substring(2) : b;
    }
}
