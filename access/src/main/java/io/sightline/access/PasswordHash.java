package io.sightline.access;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Salted, slow password hashes as a users file stores them: {@code pbkdf2-sha256$ITERATIONS$SALT$HASH} (salt and
 * hash in base64), PBKDF2 with HMAC-SHA-256 from the JDK. A check costs tens of milliseconds on purpose; {@link
 * HttpAuth} remembers credentials it has checked.
 */
public final class PasswordHash {

    static final String SCHEME = "pbkdf2-sha256";
    static final int ITERATIONS = 100_000;
    private static final int SALT_BYTES = 16;
    private static final int HASH_BITS = 256;
    private static final SecureRandom RANDOM = new SecureRandom();

    private PasswordHash() {
    }

    public static String hash(char[] password) {
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        return SCHEME + "$" + ITERATIONS + "$" + Base64.getEncoder().encodeToString(salt) + "$"
                + Base64.getEncoder().encodeToString(derive(password, salt, ITERATIONS));
    }

    /** Whether the password is the one hashed; a malformed hash is an error (the users file is checked at start). */
    public static boolean matches(char[] password, String encoded) {
        String[] parts = parts(encoded);
        byte[] expected = Base64.getDecoder().decode(parts[3]);
        byte[] actual = derive(password, Base64.getDecoder().decode(parts[2]), Integer.parseInt(parts[1]));
        return MessageDigest.isEqual(expected, actual);
    }

    /** Checks the hash's form, as written by {@link #hash}. */
    static void validate(String encoded) {
        parts(encoded);
    }

    private static String[] parts(String encoded) {
        String[] parts = encoded.split("\\$");
        try {
            if (parts.length == 4 && parts[0].equals(SCHEME) && Integer.parseInt(parts[1]) > 0
                    && Base64.getDecoder().decode(parts[2]).length > 0
                    && Base64.getDecoder().decode(parts[3]).length == HASH_BITS / 8) {
                return parts;
            }
        } catch (IllegalArgumentException malformed) {
            // reported below
        }
        throw new IllegalArgumentException("not a password hash as `sightline users add` writes it ("
                + SCHEME + "$ITERATIONS$SALT$HASH)");
    }

    private static byte[] derive(char[] password, byte[] salt, int iterations) {
        try {
            var spec = new PBEKeySpec(password, salt, iterations, HASH_BITS);
            try {
                return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
            } finally {
                spec.clearPassword();
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JVM has no PBKDF2WithHmacSHA256", e);
        }
    }
}
