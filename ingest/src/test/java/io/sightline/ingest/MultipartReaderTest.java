package io.sightline.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MultipartReaderTest {

    private static final byte[] A = "first\r\nbody with --frame inside a line".getBytes(StandardCharsets.ISO_8859_1);
    private static final byte[] B = {(byte) 0xFF, (byte) 0xD8, '\r', '\n', '-', '-', (byte) 0xFF, (byte) 0xD9};

    @Test
    void readsPartsWithContentLength() throws Exception {
        byte[] stream = stream("\r\n", true, "--frame", A, B);

        assertThat(bodies(new MultipartReader(in(stream), "frame", 1024))).containsExactly(A, B);
    }

    @Test
    void readsPartsWithoutContentLengthUpToTheNextBoundaryLine() throws Exception {
        byte[] stream = stream("\r\n", false, "--frame", A, B);

        assertThat(bodies(new MultipartReader(in(stream), "frame", 1024))).containsExactly(A, B);
    }

    @Test
    void acceptsQuotedBoundaryDeclaredWithItsDashesAndLfOnlyLines() throws Exception {
        byte[] stream = stream("\n", false, "--myboundary", A, B);

        assertThat(MultipartReader.boundaryOf("multipart/x-mixed-replace; boundary=\"--myboundary\""))
                .contains("myboundary");
        assertThat(bodies(new MultipartReader(in(stream), "\"--myboundary\"", 1024))).containsExactly(A, B);
    }

    @Test
    void acceptsBoundaryLinesWithFourDashes() throws Exception {
        byte[] stream = stream("\r\n", false, "----myboundary", A, B);

        assertThat(bodies(new MultipartReader(in(stream), "--myboundary", 1024))).containsExactly(A, B);
    }

    @Test
    void skipsGarbageBeforeAndBetweenParts() throws Exception {
        var out = new ByteArrayOutputStream();
        out.writeBytes("noise before the first part\r\n".getBytes(StandardCharsets.ISO_8859_1));
        out.writeBytes(part("\r\n", true, "--frame", A));
        out.writeBytes("\r\nsome bytes a camera left\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        out.writeBytes(stream("\r\n", true, "--frame", B));

        assertThat(bodies(new MultipartReader(in(out.toByteArray()), "frame", 1024))).containsExactly(A, B);
    }

    @Test
    void reportsOversizedPartsBySizeAndGoesOn() throws Exception {
        byte[] big = new byte[5000];
        for (boolean withLength : new boolean[] {true, false}) {
            var reader = new MultipartReader(in(stream("\r\n", withLength, "--frame", big, B)), "frame", 1000);

            MultipartReader.Part first = reader.next().orElseThrow();
            assertThat(first.oversized()).isTrue();
            assertThat(first.size()).isEqualTo(5000);
            assertThat(reader.next().orElseThrow().body()).isEqualTo(B);
        }
    }

    @Test
    void endsAtTheClosingBoundary() throws Exception {
        var out = new ByteArrayOutputStream();
        out.writeBytes("--frame\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        out.writeBytes(A);
        out.writeBytes("\r\n--frame--\r\n".getBytes(StandardCharsets.ISO_8859_1));
        var reader = new MultipartReader(in(out.toByteArray()), "frame", 1024);

        assertThat(reader.next()).map(MultipartReader.Part::body).contains(A);
        assertThat(reader.next()).isEmpty();
    }

    @Test
    void truncatedPartEndsTheStreamWithEof() throws Exception {
        for (boolean withLength : new boolean[] {true, false}) {
            byte[] whole = stream("\r\n", withLength, "--frame", A, B);
            // Cut inside B: its last 4 bytes, the line end and the trailing boundary line are missing.
            byte[] cut = Arrays.copyOf(whole, whole.length - "\r\n--frame\r\n".length() - 4);
            var reader = new MultipartReader(in(cut), "frame", 1024);

            assertThat(reader.next()).map(MultipartReader.Part::body).contains(A);
            assertThatThrownBy(reader::next).isInstanceOf(EOFException.class);
        }
    }

    @Test
    void readsTheBoundaryParameterOfAContentType() {
        assertThat(MultipartReader.boundaryOf("multipart/x-mixed-replace;boundary=ffmpeg")).contains("ffmpeg");
        assertThat(MultipartReader.boundaryOf("multipart/x-mixed-replace; charset=x; Boundary=abc ")).contains("abc");
        assertThat(MultipartReader.boundaryOf("multipart/x-mixed-replace")).isEmpty();
    }

    @Test
    void findsAnUndeclaredBoundaryInTheFirstLineAndLeavesTheStreamAsItWas() throws Exception {
        // ffmpeg -f mpjpeg -listen 1 answers application/octet-stream, with no boundary parameter.
        var in = new java.io.BufferedInputStream(in(stream("\r\n", true, "--ffmpeg", A, B)));

        assertThat(MultipartReader.sniffBoundary(in)).contains("ffmpeg");
        assertThat(bodies(new MultipartReader(in, "ffmpeg", 1024))).containsExactly(A, B);
        assertThat(MultipartReader.sniffBoundary(new java.io.BufferedInputStream(in(B)))).isEmpty();
    }

    private static List<byte[]> bodies(MultipartReader reader) throws Exception {
        List<byte[]> bodies = new ArrayList<>();
        try {
            Optional<MultipartReader.Part> part;
            while ((part = reader.next()).isPresent()) {
                bodies.add(part.get().body());
            }
        } catch (EOFException e) {
            // a camera stream has no end; these test streams just stop
        }
        return bodies;
    }

    /** Parts as a camera writes them; the trailing boundary line lets the last part without a length end. */
    private static byte[] stream(String eol, boolean withLength, String boundaryLine, byte[]... parts) {
        var out = new ByteArrayOutputStream();
        for (byte[] body : parts) {
            out.writeBytes(part(eol, withLength, boundaryLine, body));
        }
        out.writeBytes((boundaryLine + eol).getBytes(StandardCharsets.ISO_8859_1));
        return out.toByteArray();
    }

    private static byte[] part(String eol, boolean withLength, String boundaryLine, byte[] body) {
        var out = new ByteArrayOutputStream();
        out.writeBytes((boundaryLine + eol + "Content-Type: image/jpeg" + eol
                + (withLength ? "Content-Length: " + body.length + eol : "") + eol)
                .getBytes(StandardCharsets.ISO_8859_1));
        out.writeBytes(body);
        out.writeBytes(eol.getBytes(StandardCharsets.ISO_8859_1));
        return out.toByteArray();
    }

    private static ByteArrayInputStream in(byte[] bytes) {
        return new ByteArrayInputStream(bytes);
    }
}
