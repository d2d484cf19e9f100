package io.sightline.udf;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The public keys a processor trusts to sign UDF deployments, each named after its file ({@code alice.pub} is
 * "alice"). With none, every deployment is accepted, signed or not, as before signing existed; with any, only a
 * deployment one of them signed is.
 */
public final class TrustedKeys {

    /** Why a deployment is refused: its record carries no signature, or no trusted key verifies the one it has. */
    public enum Refusal {
        UNSIGNED, UNTRUSTED_SIGNATURE
    }

    /** The outcome of checking a deployment: the key that signed it (empty when no keys are required), or a refusal. */
    public sealed interface Check {

        record Accepted(Optional<String> keyName, Optional<String> keyId) implements Check {
        }

        record Refused(Refusal reason, String message) implements Check {
        }
    }

    private final Map<String, PublicKey> keys;

    private TrustedKeys(Map<String, PublicKey> keys) {
        this.keys = Map.copyOf(keys);
    }

    /** No keys: signatures are not required. */
    public static TrustedKeys none() {
        return new TrustedKeys(Map.of());
    }

    /**
     * Reads public keys from PEM files and from every {@code *.pub} file of the given folders; an unreadable key or
     * a folder with none is a configuration error.
     */
    public static TrustedKeys read(List<Path> paths) {
        Map<String, PublicKey> keys = new LinkedHashMap<>();
        for (Path path : paths) {
            for (Path file : files(path)) {
                String name = file.getFileName().toString().replaceFirst("\\.(pub|pem)$", "");
                if (keys.put(name, Ed25519Keys.readPublic(file)) != null) {
                    throw new IllegalArgumentException("two trusted keys are named " + name + ": rename one file");
                }
            }
        }
        return new TrustedKeys(keys);
    }

    private static List<Path> files(Path path) {
        if (Files.isRegularFile(path)) {
            return List.of(path);
        }
        if (!Files.isDirectory(path)) {
            throw new IllegalArgumentException("trusted key " + path + " does not exist");
        }
        try (Stream<Path> listing = Files.list(path)) {
            List<Path> files = new ArrayList<>(listing.filter(file -> file.getFileName().toString().endsWith(".pub"))
                    .sorted().toList());
            if (files.isEmpty()) {
                throw new IllegalArgumentException("trusted keys folder " + path + " has no *.pub file");
            }
            return files;
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot list trusted keys in " + path + ": " + e.getMessage(), e);
        }
    }

    public boolean required() {
        return !keys.isEmpty();
    }

    /** The trusted keys' names, in the order they were read. */
    public List<String> names() {
        return List.copyOf(keys.keySet());
    }

    /** Checks a deployment and its signature (null when its record has none) against these keys. */
    public Check check(UdfDeployment deployment, UdfSignature signature) {
        Optional<Map.Entry<String, PublicKey>> signer = signature == null ? Optional.empty()
                : keys.entrySet().stream().filter(key -> signature.verifies(deployment, key.getValue())).findFirst();
        if (signer.isPresent()) {
            return new Check.Accepted(Optional.of(signer.get().getKey()),
                    Optional.of(Ed25519Keys.id(signer.get().getValue())));
        }
        if (!required()) {
            return new Check.Accepted(Optional.empty(), Optional.empty());
        }
        if (signature == null) {
            return new Check.Refused(Refusal.UNSIGNED, deployment.name() + "@" + deployment.version()
                    + " is not signed, and this processor only runs deployments signed by " + String.join(", ", names()));
        }
        return new Check.Refused(Refusal.UNTRUSTED_SIGNATURE, deployment.name() + "@" + deployment.version()
                + " carries a signature by '" + signature.signer() + "' that no trusted key (" + String.join(", ", names())
                + ") verifies: another key, or the module or config changed after signing");
    }
}
