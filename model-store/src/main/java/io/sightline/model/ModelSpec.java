package io.sightline.model;

import java.net.URI;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A model pinned by content: where it sits in an assets directory or the cache, its sha256, and where to fetch it.
 *
 * @param relativePath path below an assets or cache directory, with forward slashes
 * @param sha256       lowercase hex digest the file must have
 * @param source       http(s) URL to download it from when it is found nowhere locally
 * @param sizeBytes    the file's length in bytes, 0 when not pinned
 */
public record ModelSpec(String name, String version, String relativePath, String sha256, URI source, long sizeBytes) {

    // Declared before MTCNN: static fields initialise in order and the constructor uses it.
    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

    /** MTCNN face detector as a frozen GraphDef, from blaueck/tf-mtcnn (MIT), pinned by its manifest. */
    public static final ModelSpec MTCNN = ModelCatalog.bundled().get("mtcnn").spec();

    /** A spec whose size is not pinned. */
    public ModelSpec(String name, String version, String relativePath, String sha256, URI source) {
        this(name, version, relativePath, sha256, source, 0);
    }

    public ModelSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(relativePath, "relativePath");
        Objects.requireNonNull(source, "source");
        sha256 = sha256.toLowerCase(Locale.ROOT);
        if (!SHA256_HEX.matcher(sha256).matches()) {
            throw new IllegalArgumentException("sha256 of model " + name + " must be 64 hex digits, got " + sha256);
        }
        if (relativePath.startsWith("/") || relativePath.contains("..")) {
            throw new IllegalArgumentException("model path must stay inside the assets directory, got " + relativePath);
        }
        if (sizeBytes < 0) {
            throw new IllegalArgumentException("size of model " + name + " must not be negative, got " + sizeBytes);
        }
        String scheme = source.getScheme();
        if (!"https".equals(scheme) && !"http".equals(scheme)) {
            throw new IllegalArgumentException("model source must be an http(s) URL, got " + source);
        }
    }

    public ModelInfo info() {
        return new ModelInfo(name, version, sha256);
    }
}
