package io.sightline.access;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A keystore (PKCS#12 or JKS, as {@code keytool} makes) holding a server's key and certificate, or the certificates a
 * client trusts. Opened at start: a missing file or a wrong password is an error that names the file.
 */
public final class TlsKeystore {

    private final Path file;
    private final KeyStore store;
    private final char[] password;

    private TlsKeystore(Path file, KeyStore store, char[] password) {
        this.file = file;
        this.store = store;
        this.password = password;
    }

    public static TlsKeystore open(Path file, String password) {
        char[] secret = password == null ? new char[0] : password.toCharArray();
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore store = KeyStore.getInstance(file.toString().endsWith(".jks") ? "JKS" : "PKCS12");
            store.load(in, secret);
            return new TlsKeystore(file, store, secret);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot open keystore " + file + " (" + e.getMessage()
                    + "): is the file a PKCS#12 or JKS keystore and its password right?", e);
        }
    }

    /** A TLS context serving this keystore's key and certificate. */
    public SSLContext serverContext() {
        try {
            var keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, password);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), null, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("keystore " + file + " holds no usable key (" + e.getMessage() + ")", e);
        }
    }

    /** A TLS context that trusts this keystore's certificates (and nothing else). */
    public SSLContext clientContext() {
        try {
            var trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("keystore " + file + " holds no certificate to trust ("
                    + e.getMessage() + ")", e);
        }
    }

    public Path file() {
        return file;
    }
}
