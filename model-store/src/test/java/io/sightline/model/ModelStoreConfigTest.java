package io.sightline.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelStoreConfigTest {

    private static final Path HOME = Path.of("/home/someone");

    @TempDir
    Path explicit;

    @TempDir
    Path fromEnv;

    @Test
    void explicitAssetsDirWinsOverEnvironment() {
        ModelStoreConfig config = ModelStoreConfig.fromEnvironment(explicit, Map.of("SIGHTLINE_ASSETS", fromEnv.toString()), HOME);

        assertThat(config.assetsDir()).contains(explicit);
    }

    @Test
    void assetsDirComesFromEnvironmentWhenNotGiven() {
        ModelStoreConfig config = ModelStoreConfig.fromEnvironment(null, Map.of("SIGHTLINE_ASSETS", fromEnv.toString()), HOME);

        assertThat(config.assetsDir()).contains(fromEnv);
    }

    @Test
    void blankEnvironmentMeansNoAssetsDir() {
        ModelStoreConfig config = ModelStoreConfig.fromEnvironment(null, Map.of("SIGHTLINE_ASSETS", " "), HOME);

        assertThat(config.assetsDir()).isEmpty();
    }

    @Test
    void cacheLivesUnderXdgCacheHome() {
        ModelStoreConfig config = ModelStoreConfig.fromEnvironment(null, Map.of("XDG_CACHE_HOME", "/var/cache/me"), HOME);

        assertThat(config.cacheDir()).isEqualTo(Path.of("/var/cache/me/sightline"));
        assertThat(config.allowDownload()).isTrue();
    }

    @Test
    void cacheDefaultsToDotCacheInHome() {
        ModelStoreConfig config = ModelStoreConfig.fromEnvironment(null, Map.of(), HOME);

        assertThat(config.cacheDir()).isEqualTo(Path.of("/home/someone/.cache/sightline"));
    }

    @Test
    void rejectsAssetsDirThatDoesNotExistSayingHowToFixIt() {
        Path missing = explicit.resolve("nope");

        assertThatIllegalArgumentException()
                .isThrownBy(() -> new ModelStoreConfig(Optional.of(missing), explicit, false))
                .withMessageContaining(missing.toString())
                .withMessageContaining("--assets")
                .withMessageContaining("SIGHTLINE_ASSETS");
    }
}
