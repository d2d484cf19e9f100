package io.sightline.udf;

/** Provenance of a UDF module, carried on every event it produced; sha256 is of the .wasm bytes. */
public record UdfInfo(String name, String version, String sha256) {

    /** {@code name@version}: how failures and logs name the UDF. */
    public String label() {
        return name + "@" + version;
    }
}
