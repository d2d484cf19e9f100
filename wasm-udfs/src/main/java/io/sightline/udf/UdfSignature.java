package io.sightline.udf;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Arrays;
import java.util.Objects;

/**
 * An Ed25519 signature of a deployment: over its name, version, the SHA-256 of its module and its config, so a
 * signed module cannot be redeployed under another name, version or config without a new signature.
 *
 * @param signer who signed, as the deployer named themselves; a processor trusts the key, not this name
 */
public record UdfSignature(String signer, byte[] value) {

    private static final byte[] CONTEXT = "sightline-udf-deployment-v1".getBytes(StandardCharsets.US_ASCII);

    public UdfSignature {
        Objects.requireNonNull(signer, "signer");
        value = value.clone();
    }

    @Override
    public byte[] value() {
        return value.clone();
    }

    /** Signs the deployment with the key. */
    public static UdfSignature sign(UdfDeployment deployment, String signer, PrivateKey key) {
        try {
            Signature ed25519 = Signature.getInstance(Ed25519Keys.ALGORITHM);
            ed25519.initSign(key);
            ed25519.update(signedBytes(deployment));
            return new UdfSignature(signer, ed25519.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot sign with this key (Ed25519 needed): " + e.getMessage(), e);
        }
    }

    /** Whether this signature is the key's over this deployment. */
    public boolean verifies(UdfDeployment deployment, PublicKey key) {
        try {
            Signature ed25519 = Signature.getInstance(Ed25519Keys.ALGORITHM);
            ed25519.initVerify(key);
            ed25519.update(signedBytes(deployment));
            return ed25519.verify(value);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /** What is signed: a context label, then name, version, module SHA-256 and config, each ended by a NUL. */
    static byte[] signedBytes(UdfDeployment deployment) {
        var bytes = new ByteArrayOutputStream();
        bytes.writeBytes(CONTEXT);
        bytes.write(0);
        for (String part : new String[] {deployment.name(), deployment.version(), deployment.sha256(),
                deployment.configJson()}) {
            bytes.writeBytes(part.getBytes(StandardCharsets.UTF_8));
            bytes.write(0);
        }
        return bytes.toByteArray();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof UdfSignature that && signer.equals(that.signer) && Arrays.equals(value, that.value);
    }

    @Override
    public int hashCode() {
        return Objects.hash(signer, Arrays.hashCode(value));
    }

    @Override
    public String toString() {
        return "UdfSignature[" + signer + ", " + value.length + " bytes]";
    }
}
