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
 */
public record ModelSpec(String name, String version, String relativePath, String sha256, URI source) {

    // Declared before MTCNN: static fields initialise in order and the constructor uses it.
    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

    /** MTCNN face detector as a frozen GraphDef, from blaueck/tf-mtcnn (MIT), pinned to one upstream commit. */
    public static final ModelSpec MTCNN = new ModelSpec(
            "mtcnn",
            "tf-mtcnn-b7ffa19",
            "models/mtcnn/mtcnn.pb",
            "f40d41e1d4d3aea5767078c1b1fc0666e354835b3956ffb6fcc835c981e58fb2",
            URI.create("https://raw.githubusercontent.com/blaueck/tf-mtcnn/b7ffa195d1cbc873e271a996cf929a032ef29610/mtcnn.pb"));

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
        String scheme = source.getScheme();
        if (!"https".equals(scheme) && !"http".equals(scheme)) {
            throw new IllegalArgumentException("model source must be an http(s) URL, got " + source);
        }
    }

    public ModelInfo info() {
        return new ModelInfo(name, version, sha256);
    }
}
