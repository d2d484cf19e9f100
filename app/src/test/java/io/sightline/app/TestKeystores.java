package io.sightline.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** TLS material for tests, made the way docs/security.md tells users to: with the JDK's keytool. */
final class TestKeystores {

    static final String PASSWORD = "changeit";

    private TestKeystores() {
    }

    /** A PKCS#12 keystore with a self-signed EC key for 127.0.0.1 and localhost, password {@value #PASSWORD}. */
    static Path keystore(Path dir, String name) throws Exception {
        return keystore(dir, name, "CN=127.0.0.1");
    }

    /** As {@link #keystore(Path, String)}, the certificate naming {@code subject} (a client's principal). */
    static Path keystore(Path dir, String name, String subject) throws Exception {
        Path keystore = dir.resolve(name + ".p12");
        keytool("-genkeypair", "-alias", name, "-keyalg", "EC", "-groupname", "secp256r1", "-dname", subject,
                "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "30", "-keystore", keystore.toString(),
                "-storetype", "PKCS12", "-storepass", PASSWORD);
        return keystore;
    }

    /** The keystore's certificate as PEM, for clients outside the JVM (Node's NODE_EXTRA_CA_CERTS). */
    static Path certificatePem(Path keystore, String alias) throws Exception {
        Path pem = keystore.resolveSibling(alias + ".pem");
        keytool("-exportcert", "-rfc", "-alias", alias, "-keystore", keystore.toString(), "-storepass", PASSWORD,
                "-file", pem.toString());
        return pem;
    }

    /** A PKCS#12 trust store holding the certificate of another keystore's entry. */
    static Path truststore(Path dir, String name, Path keystore, String alias) throws Exception {
        Path pem = certificatePem(keystore, alias);
        Path truststore = dir.resolve(name + ".p12");
        keytool("-importcert", "-noprompt", "-alias", alias, "-file", pem.toString(), "-keystore",
                truststore.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD);
        return truststore;
    }

    private static void keytool(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool")
                .toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
    }
}
