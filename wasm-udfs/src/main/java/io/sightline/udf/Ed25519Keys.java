package io.sightline.udf;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Ed25519 keys as PEM files, the way OpenSSL writes them ({@code openssl genpkey -algorithm ed25519} gives a
 * {@code PRIVATE KEY}, {@code openssl pkey -pubout} its {@code PUBLIC KEY}), read and written with the JDK's own
 * crypto. A key's id is the first 16 hex digits of the SHA-256 of its public key's encoding.
 */
public final class Ed25519Keys {

    static final String ALGORITHM = "Ed25519";
    private static final Pattern PEM = Pattern.compile(
            "-----BEGIN ([A-Z ]+)-----\\s*([A-Za-z0-9+/=\\s]+?)\\s*-----END \\1-----");

    private Ed25519Keys() {
    }

    public static KeyPair generate() {
        try {
            return KeyPairGenerator.getInstance(ALGORITHM).generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM has no Ed25519 (JDK 15 or later has it)", e);
        }
    }

    public static PrivateKey readPrivate(Path file) {
        byte[] der = der(file, "PRIVATE KEY");
        try {
            return KeyFactory.getInstance(ALGORITHM).generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(file + " is not an Ed25519 private key (PKCS#8 PEM, as `openssl "
                    + "genpkey -algorithm ed25519` or `sightline udf keygen` write): " + e.getMessage(), e);
        }
    }

    public static PublicKey readPublic(Path file) {
        byte[] der = der(file, "PUBLIC KEY");
        try {
            return KeyFactory.getInstance(ALGORITHM).generatePublic(new X509EncodedKeySpec(der));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(file + " is not an Ed25519 public key (PEM, as `openssl pkey -pubout` "
                    + "or `sightline udf keygen` write): " + e.getMessage(), e);
        }
    }

    /** The key as a PEM text block: {@code PRIVATE KEY} (PKCS#8) or {@code PUBLIC KEY} (X.509). */
    public static String pem(Key key) {
        String type = key instanceof PrivateKey ? "PRIVATE KEY" : "PUBLIC KEY";
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.getEncoded())
                + "\n-----END " + type + "-----\n";
    }

    /** First 16 hex digits of the SHA-256 of the public key's X.509 encoding. */
    public static String id(PublicKey key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getEncoded()))
                    .substring(0, 16);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    }

    private static byte[] der(Path file, String type) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read key file " + file + ": " + e.getMessage(), e);
        }
        Matcher block = PEM.matcher(text);
        while (block.find()) {
            if (block.group(1).equals(type)) {
                return Base64.getMimeDecoder().decode(block.group(2));
            }
        }
        throw new IllegalArgumentException(file + " holds no '-----BEGIN " + type + "-----' block");
    }
}
