package io.sightline.app;

import io.sightline.model.ModelStoreConfig;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where models and sample images come from; shared by every command that needs them. */
final class AssetOptions {

    @Option(names = "--assets", paramLabel = "DIR",
            description = "Asset directory with models/mtcnn/mtcnn.pb and images/ (default: $SIGHTLINE_ASSETS, "
                    + "then the local cache, then the pinned download).")
    Path assets;

    ModelStoreConfig modelStoreConfig() {
        return ModelStoreConfig.fromEnvironment(assets);
    }

    /** As {@link #modelStoreConfig()}, with the cache in {@code cacheDir} when it is given. */
    ModelStoreConfig modelStoreConfig(Path cacheDir) {
        ModelStoreConfig config = modelStoreConfig();
        return cacheDir == null ? config
                : new ModelStoreConfig(config.assetsDir(), cacheDir, config.allowDownload());
    }
}
