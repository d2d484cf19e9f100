package io.sightline.model;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the model store looks for model files.
 *
 * @param assetsDir     a directory laid out as {@code models/mtcnn/mtcnn.pb}, searched first (--assets / SIGHTLINE_ASSETS)
 * @param cacheDir      where downloaded models are kept, same layout, searched second
 * @param allowDownload whether a model found in neither place may be fetched from its pinned https URL
 */
public record ModelStoreConfig(Optional<Path> assetsDir, Path cacheDir, boolean allowDownload) {

    public static final String ASSETS_ENV = "SIGHTLINE_ASSETS";

    public ModelStoreConfig {
        Objects.requireNonNull(assetsDir, "assetsDir");
        Objects.requireNonNull(cacheDir, "cacheDir");
        assetsDir = assetsDir.map(dir -> dir.toAbsolutePath().normalize());
        cacheDir = cacheDir.toAbsolutePath().normalize();
        assetsDir.ifPresent(ModelStoreConfig::requireDirectory);
    }

    /**
     * The configuration for this process: the explicit assets directory (from --assets) if given, otherwise
     * SIGHTLINE_ASSETS if set; the cache under {@code ${XDG_CACHE_HOME:-~/.cache}/sightline}; downloads allowed.
     */
    public static ModelStoreConfig fromEnvironment(Path explicitAssetsDirOrNull) {
        return fromEnvironment(explicitAssetsDirOrNull, System.getenv(), Path.of(System.getProperty("user.home")));
    }

    static ModelStoreConfig fromEnvironment(Path explicitAssetsDirOrNull, Map<String, String> env, Path userHome) {
        Optional<Path> assets = Optional.ofNullable(explicitAssetsDirOrNull).or(() -> nonBlank(env.get(ASSETS_ENV)).map(Path::of));
        Path cacheRoot = nonBlank(env.get("XDG_CACHE_HOME")).map(Path::of).orElse(userHome.resolve(".cache"));
        return new ModelStoreConfig(assets, cacheRoot.resolve("sightline"), true);
    }

    private static Optional<String> nonBlank(String value) {
        return Optional.ofNullable(value).filter(v -> !v.isBlank());
    }

    private static void requireDirectory(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("assets directory " + dir + " does not exist or is not a directory;"
                    + " point --assets or " + ASSETS_ENV + " at a directory containing models/mtcnn/mtcnn.pb");
        }
    }
}
