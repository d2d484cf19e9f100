package io.sightline.udf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Signed deployments: a signature covers the module, config, name and version; trusted keys accept only what one of
 * them signed; keys made by OpenSSL and by this code read alike.
 */
class UdfSignatureTest {

    private static final UdfDeployment DEPLOYMENT = new UdfDeployment("face-annotate", "2",
            new byte[] {0, 'a', 's', 'm', 1, 0, 0, 0}, "{\"minScore\":0.9}");

    @TempDir
    Path tmp;

    @Test
    void aTrustedKeysSignatureIsAcceptedAndNamesTheKey() throws Exception {
        KeyPair alice = Ed25519Keys.generate();
        TrustedKeys trusted = TrustedKeys.read(List.of(write("alice.pub", Ed25519Keys.pem(alice.getPublic()))));

        TrustedKeys.Check check = trusted.check(DEPLOYMENT, UdfSignature.sign(DEPLOYMENT, "alice", alice.getPrivate()));

        assertThat(check).isEqualTo(new TrustedKeys.Check.Accepted(Optional.of("alice"),
                Optional.of(Ed25519Keys.id(alice.getPublic()))));
    }

    @Test
    void anyChangeAfterSigningBreaksTheSignature() {
        KeyPair alice = Ed25519Keys.generate();
        UdfSignature signature = UdfSignature.sign(DEPLOYMENT, "alice", alice.getPrivate());
        byte[] tampered = DEPLOYMENT.wasm();
        tampered[7] = 1;

        assertThat(signature.verifies(DEPLOYMENT, alice.getPublic())).isTrue();
        assertThat(signature.verifies(new UdfDeployment("face-annotate", "2", tampered, DEPLOYMENT.configJson()),
                alice.getPublic())).as("module").isFalse();
        assertThat(signature.verifies(DEPLOYMENT.withConfig("{\"minScore\":0.1}"), alice.getPublic()))
                .as("config").isFalse();
        assertThat(signature.verifies(new UdfDeployment("face-blur", "2", DEPLOYMENT.wasm(),
                DEPLOYMENT.configJson()), alice.getPublic())).as("name").isFalse();
        assertThat(signature.verifies(new UdfDeployment("face-annotate", "3", DEPLOYMENT.wasm(),
                DEPLOYMENT.configJson()), alice.getPublic())).as("version").isFalse();
        assertThat(signature.verifies(DEPLOYMENT, Ed25519Keys.generate().getPublic())).as("other key").isFalse();
    }

    @Test
    void withTrustedKeysUnsignedAndOtherwiseSignedDeploymentsAreRefusedWithTheirReason() throws Exception {
        KeyPair alice = Ed25519Keys.generate();
        KeyPair mallory = Ed25519Keys.generate();
        Path keys = Files.createDirectories(tmp.resolve("trusted"));
        Files.writeString(keys.resolve("alice.pub"), Ed25519Keys.pem(alice.getPublic()));
        TrustedKeys trusted = TrustedKeys.read(List.of(keys));

        TrustedKeys.Check unsigned = trusted.check(DEPLOYMENT, null);
        TrustedKeys.Check impostor = trusted.check(DEPLOYMENT,
                UdfSignature.sign(DEPLOYMENT, "alice", mallory.getPrivate()));

        assertThat(unsigned).isInstanceOfSatisfying(TrustedKeys.Check.Refused.class, refused -> {
            assertThat(refused.reason()).isEqualTo(TrustedKeys.Refusal.UNSIGNED);
            assertThat(refused.message()).contains("face-annotate@2 is not signed").contains("alice");
        });
        assertThat(impostor).isInstanceOfSatisfying(TrustedKeys.Check.Refused.class, refused -> {
            assertThat(refused.reason()).isEqualTo(TrustedKeys.Refusal.UNTRUSTED_SIGNATURE);
            assertThat(refused.message()).contains("by 'alice'").contains("no trusted key (alice)");
        });
    }

    @Test
    void withoutTrustedKeysEveryDeploymentIsAccepted() {
        assertThat(TrustedKeys.none().check(DEPLOYMENT, null))
                .isEqualTo(new TrustedKeys.Check.Accepted(Optional.empty(), Optional.empty()));
        assertThat(TrustedKeys.none().required()).isFalse();
    }

    @Test
    void keysMadeByOpensslSignAndVerifyLikeOurOwn() throws Exception {
        Path privateKey = tmp.resolve("ci.key");
        Path publicKey = tmp.resolve("ci.pub");
        openssl("genpkey", "-algorithm", "ed25519", "-out", privateKey.toString());
        openssl("pkey", "-in", privateKey.toString(), "-pubout", "-out", publicKey.toString());

        UdfSignature signature = UdfSignature.sign(DEPLOYMENT, "ci", Ed25519Keys.readPrivate(privateKey));

        assertThat(TrustedKeys.read(List.of(publicKey)).check(DEPLOYMENT, signature))
                .isInstanceOf(TrustedKeys.Check.Accepted.class);
        KeyPair ours = Ed25519Keys.generate();
        Path ourPrivate = write("ours.key", Ed25519Keys.pem(ours.getPrivate()));
        Path derived = tmp.resolve("ours-derived.pub");
        openssl("pkey", "-in", ourPrivate.toString(), "-pubout", "-out", derived.toString());
        assertThat(Ed25519Keys.readPublic(derived)).isEqualTo(ours.getPublic());
    }

    @Test
    void badKeyFilesAreUsageErrorsThatNameTheFile() throws Exception {
        Path notAKey = write("notes.pub", "hello");
        Path emptyDir = Files.createDirectories(tmp.resolve("empty"));
        Path rsa = tmp.resolve("rsa.key");
        openssl("genpkey", "-algorithm", "rsa", "-pkeyopt", "rsa_keygen_bits:1024", "-out", rsa.toString());

        assertThatThrownBy(() -> TrustedKeys.read(List.of(notAKey))).hasMessageContaining("notes.pub holds no");
        assertThatThrownBy(() -> TrustedKeys.read(List.of(emptyDir))).hasMessageContaining("has no *.pub file");
        assertThatThrownBy(() -> TrustedKeys.read(List.of(tmp.resolve("missing.pub")))).hasMessageContaining(
                "missing.pub does not exist");
        assertThatThrownBy(() -> Ed25519Keys.readPrivate(rsa)).hasMessageContaining("rsa.key is not an Ed25519");
    }

    private Path write(String name, String text) throws Exception {
        return Files.writeString(tmp.resolve(name), text);
    }

    private static void openssl(String... args) throws Exception {
        var command = new ArrayList<String>(List.of("openssl"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
    }
}
