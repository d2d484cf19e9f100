package io.sightline.model;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AssetResolverTest {

    private static final byte[] TINY_MODEL = "not really a model, but pinned all the same".getBytes(UTF_8);

    @TempDir
    Path assets;

    @TempDir
    Path cache;

    private HttpServer server;
    private final AtomicInteger downloads = new AtomicInteger();

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void resolvesTheSharedMtcnnFromTheAssetsDir() {
        Path shared = TestAssets.dir();

        Path resolved = new AssetResolver(new ModelStoreConfig(Optional.of(shared), cache, false)).resolve(ModelSpec.MTCNN);

        assertThat(resolved).isEqualTo(shared.resolve("models/mtcnn/mtcnn.pb").toAbsolutePath().normalize());
    }

    @Test
    void rejectsAModelWhoseHashDoesNotMatchNamingBothHashesAndThePath() throws IOException {
        Path bogus = write(assets.resolve(ModelSpec.MTCNN.relativePath()), "bogus".getBytes(UTF_8));

        assertThatThrownBy(() -> resolveOffline(ModelSpec.MTCNN))
                .isInstanceOf(ModelIntegrityException.class)
                .hasMessageContaining(bogus.toString())
                .hasMessageContaining(ModelSpec.MTCNN.sha256())
                .hasMessageContaining(sha256("bogus".getBytes(UTF_8)));
    }

    @Test
    void aCorruptedAssetIsAnErrorEvenWhenTheCacheHoldsAGoodCopy() throws IOException {
        ModelSpec tiny = tinySpec(URI.create("http://127.0.0.1:9/unused"));
        write(assets.resolve(tiny.relativePath()), "corrupted".getBytes(UTF_8));
        write(cache.resolve(tiny.relativePath()), TINY_MODEL);

        assertThatThrownBy(() -> resolveOffline(tiny)).isInstanceOf(ModelIntegrityException.class);
    }

    @Test
    void fallsBackToTheCacheWhenTheAssetsDirLacksTheModel() throws IOException {
        ModelSpec tiny = tinySpec(URI.create("http://127.0.0.1:9/unused"));
        Path cached = write(cache.resolve(tiny.relativePath()), TINY_MODEL);

        assertThat(resolveOffline(tiny)).isEqualTo(cached);
    }

    @Test
    void missingModelWithDownloadDisabledSaysToSetTheAssetsDir() {
        assertThatThrownBy(() -> resolveOffline(ModelSpec.MTCNN))
                .isInstanceOf(ModelUnavailableException.class)
                .hasMessageContaining("models/mtcnn/mtcnn.pb")
                .hasMessageContaining(assets.toString())
                .hasMessageContaining("downloading is disabled")
                .hasMessageContaining("--assets")
                .hasMessageContaining("SIGHTLINE_ASSETS");
    }

    @Test
    void downloadsIntoTheCacheOnceAndThenServesFromIt() throws IOException {
        ModelSpec tiny = tinySpec(serve(200, TINY_MODEL));
        AssetResolver resolver = new AssetResolver(new ModelStoreConfig(Optional.of(assets), cache, true));

        Path first = resolver.resolve(tiny);
        Path second = resolver.resolve(tiny);

        assertThat(first).isEqualTo(second).isEqualTo(cache.resolve(tiny.relativePath()));
        assertThat(Files.readAllBytes(first)).isEqualTo(TINY_MODEL);
        assertThat(downloads).hasValue(1);
        assertThat(leftovers()).containsExactly(first);
    }

    @Test
    void refusesADownloadWithTheWrongHashAndCachesNothing() throws IOException {
        ModelSpec tiny = tinySpec(serve(200, "tampered".getBytes(UTF_8)));

        assertThatThrownBy(() -> new AssetResolver(new ModelStoreConfig(Optional.empty(), cache, true)).resolve(tiny))
                .isInstanceOf(ModelIntegrityException.class)
                .hasMessageContaining(tiny.source().toString())
                .hasMessageContaining(tiny.sha256())
                .hasMessageContaining(sha256("tampered".getBytes(UTF_8)));
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void failedDownloadSaysWhatFailedAndToSetTheAssetsDir() throws IOException {
        ModelSpec tiny = tinySpec(serve(404, new byte[0]));

        assertThatThrownBy(() -> new AssetResolver(new ModelStoreConfig(Optional.empty(), cache, true)).resolve(tiny))
                .isInstanceOf(ModelUnavailableException.class)
                .hasMessageContaining("no assets directory set")
                .hasMessageContaining(tiny.source().toString())
                .hasMessageContaining("HTTP 404")
                .hasMessageContaining("SIGHTLINE_ASSETS");
        assertThat(leftovers()).isEmpty();
    }

    private Path resolveOffline(ModelSpec spec) {
        return new AssetResolver(new ModelStoreConfig(Optional.of(assets), cache, false)).resolve(spec);
    }

    private URI serve(int status, byte[] body) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/tiny.bin", exchange -> {
            downloads.incrementAndGet();
            exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/tiny.bin");
    }

    private static ModelSpec tinySpec(URI source) {
        return new ModelSpec("tiny", "1", "models/tiny/tiny.bin", sha256(TINY_MODEL), source);
    }

    private List<Path> leftovers() throws IOException {
        try (var files = Files.walk(cache)) {
            return files.filter(Files::isRegularFile).toList();
        }
    }

    private static Path write(Path file, byte[] content) throws IOException {
        Files.createDirectories(file.getParent());
        return Files.write(file, content);
    }

    private static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
