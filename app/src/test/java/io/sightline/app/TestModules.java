package io.sightline.app;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Wasm modules for the deployment tests: the bundled face-annotate, and copies of it that hash differently. */
final class TestModules {

    private TestModules() {}

    static byte[] faceAnnotateWasm() throws IOException {
        try (InputStream in = TestModules.class.getResourceAsStream("/io/sightline/udf/bundled/face-annotate.wasm")) {
            return in.readAllBytes();
        }
    }

    /** The same module with a custom section appended: it behaves the same, but its bytes and sha256 differ. */
    static byte[] withCustomSection(byte[] wasm, String name, String payload) {
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        var content = new ByteArrayOutputStream();
        content.write(nameBytes.length);
        content.writeBytes(nameBytes);
        content.writeBytes(payload.getBytes(StandardCharsets.UTF_8));
        var out = new ByteArrayOutputStream();
        out.writeBytes(wasm);
        out.write(0);
        out.write(content.size());
        out.writeBytes(content.toByteArray());
        return out.toByteArray();
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime provides SHA-256", e);
        }
    }
}
