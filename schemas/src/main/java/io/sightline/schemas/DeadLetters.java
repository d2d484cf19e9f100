package io.sightline.schemas;

import io.sightline.schemas.avro.DeadLetter;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Builds dead letters that always fit under the record limit, the same way at every stage: the original bytes when
 * they fit, else their size and SHA-256 (so the original can still be found), and a message cut to a sane length.
 */
public final class DeadLetters {

    /** Messages are for people; a decoder's warning list can be long. */
    static final int MAX_MESSAGE_CHARS = 2_000;

    private DeadLetters() {}

    /** Sets the value (or its size and SHA-256 when it would not fit) and the message. */
    public static DeadLetter.Builder describe(DeadLetter.Builder letter, byte[] value, String message,
            FrameLimits limits) {
        if (value != null && limits.fitsPayload(value.length)) {
            return letter.setMessage(shortened(message)).setValue(ByteBuffer.wrap(value));
        }
        return describeWithoutValue(letter, value, message);
    }

    /** Sets the value's size and SHA-256 instead of the value, and the message. */
    public static DeadLetter.Builder describeWithoutValue(DeadLetter.Builder letter, byte[] value, String message) {
        letter.setMessage(shortened(message)).setValue(null);
        return value == null ? letter
                : letter.setValueSize((long) value.length).setValueSha256(sha256Hex(value));
    }

    private static String shortened(String message) {
        return message.length() <= MAX_MESSAGE_CHARS ? message : message.substring(0, MAX_MESSAGE_CHARS) + "...";
    }

    public static String sha256Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
