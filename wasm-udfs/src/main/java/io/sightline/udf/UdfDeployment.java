package io.sightline.udf;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A UDF as a user deploys it: name, version, the module's bytes and the JSON config its instances read through
 * {@code udf_config} (ABI.md). Nothing here is checked against the ABI yet; {@link UdfRuntime#load} does that.
 *
 * @param configJson UTF-8 JSON text handed to the module as is; {@value #NO_CONFIG} when there is none
 */
public record UdfDeployment(String name, String version, byte[] wasm, String configJson) {

    public static final String NO_CONFIG = "{}";
    /** Config is for settings, not data: a UDF reads it into its own memory at every instance start. */
    public static final int MAX_CONFIG_BYTES = 64 * 1024;

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

    public UdfDeployment {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(wasm, "wasm");
        Objects.requireNonNull(configJson, "configJson");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("UDF name must be 1-64 of a-z, 0-9, '.', '_', '-' starting with a "
                    + "letter or digit, got '" + name + "'");
        }
        if (version.isBlank()) {
            throw new IllegalArgumentException("UDF version must not be blank");
        }
        if (configJson.getBytes(StandardCharsets.UTF_8).length > MAX_CONFIG_BYTES) {
            throw new IllegalArgumentException("UDF config must be at most " + MAX_CONFIG_BYTES + " bytes of JSON");
        }
        wasm = wasm.clone();
    }

    /** A copy: the deployment stays what was deployed. */
    @Override
    public byte[] wasm() {
        return wasm.clone();
    }

    /** Equal when name, version, config and the module's bytes are equal. */
    @Override
    public boolean equals(Object other) {
        return other instanceof UdfDeployment that && name.equals(that.name) && version.equals(that.version)
                && Arrays.equals(wasm, that.wasm) && configJson.equals(that.configJson);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, version, Arrays.hashCode(wasm), configJson);
    }

    @Override
    public String toString() {
        return "UdfDeployment[" + name + "@" + version + ", " + wasm.length + " bytes, config " + configJson + "]";
    }

    /** Hex SHA-256 of the module's bytes: how deployments, events and signatures name a module. */
    public String sha256() {
        return sha256(wasm);
    }

    /** Hex SHA-256 of a module's bytes. */
    public static String sha256(byte[] module) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(module));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM provides SHA-256", e);
        }
    }

    public static UdfDeployment of(String name, String version, byte[] wasm) {
        return new UdfDeployment(name, version, wasm, NO_CONFIG);
    }

    public UdfDeployment withConfig(String json) {
        return new UdfDeployment(name, version, wasm, json);
    }
}
