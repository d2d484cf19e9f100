package io.sightline.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Graph;
import org.tensorflow.op.Ops;

/** `models verify` and `models pull` on the real MTCNN file, tampered and truncated copies, and a foreign graph. */
class ModelVerifyTest {

    private static final ModelManifest MTCNN = ModelCatalog.bundled().get("mtcnn");

    @TempDir
    Path cache;

    @TempDir
    Path assets;

    private HttpServer server;

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void verifiesTheSharedModelByChecksumAndByLoadingItsTensors() {
        ModelStoreConfig config = new ModelStoreConfig(Optional.of(TestAssets.dir()), cache, false);

        assertThat(ModelStore.verify(config, MTCNN))
                .isEqualTo(TestAssets.dir().toAbsolutePath().normalize().resolve(MTCNN.file()));
    }

    @Test
    void aTamperedModelIsRefusedWithExpectedAndActualChecksums() throws IOException {
        byte[] tampered = original();
        tampered[tampered.length / 2] ^= 1;
        write(assets.resolve(MTCNN.file()), tampered);

        assertThatThrownBy(() -> ModelStore.verify(config(), MTCNN))
                .isInstanceOf(ModelIntegrityException.class)
                .hasMessageContaining(MTCNN.sha256())
                .hasMessageContaining(ModelCatalogTest.sha256(tampered))
                .satisfies(e -> assertThat(((ModelIntegrityException) e).actualSha256())
                        .isEqualTo(ModelCatalogTest.sha256(tampered)));
    }

    @Test
    void aTruncatedModelIsRefusedSayingSo() throws IOException {
        byte[] truncated = Arrays.copyOf(original(), 1_000_000);
        write(assets.resolve(MTCNN.file()), truncated);

        assertThatThrownBy(() -> ModelStore.verify(config(), MTCNN))
                .isInstanceOf(ModelIntegrityException.class)
                .hasMessageContaining("has 1000000 bytes, expected " + MTCNN.sizeBytes() + ": truncated");
    }

    @Test
    void aModelThatIsNowhereSaysHowToGetIt() {
        assertThatThrownBy(() -> ModelStore.verify(config(), MTCNN))
                .isInstanceOf(ModelUnavailableException.class)
                .hasMessageContaining("models pull mtcnn");
    }

    @Test
    void aGraphWithoutTheExpectedTensorsIsRefusedNamingThem() throws IOException {
        byte[] foreign;
        try (Graph graph = new Graph()) {
            Ops tf = Ops.create(graph);
            tf.withName("input").constant(1f);
            tf.withName("box").constant(2f);
            foreign = graph.toGraphDef().toByteArray();
        }
        Path file = write(assets.resolve("models/other/other.pb"), foreign);
        ModelManifest other = new ModelManifest("other", "1", "", ModelManifest.Format.FROZEN_GRAPHDEF,
                "models/other/other.pb", foreign.length, ModelCatalogTest.sha256(foreign), "MIT", null,
                URI.create("https://example.org/other.pb"), MTCNN.inputs(), MTCNN.outputs(), MTCNN.defaults());

        assertThatThrownBy(() -> ModelStore.verify(config(), other))
                .isInstanceOf(ModelUnavailableException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("lacks tensor(s) [factor, landmarks, min_size, prob, thresholds]");
    }

    @Test
    void pullsFromAMirrorIntoTheCacheReportingProgress() throws IOException {
        URI mirror = serve(original());
        List<long[]> updates = new ArrayList<>();

        Path pulled = ModelStore.pull(config(), MTCNN, mirror, (bytes, total) -> updates.add(new long[] {bytes, total}));

        assertThat(pulled).isEqualTo(cache.resolve(MTCNN.file()));
        assertThat(Files.readAllBytes(pulled)).isEqualTo(original());
        assertThat(updates.get(updates.size() - 1)).containsExactly(MTCNN.sizeBytes(), MTCNN.sizeBytes());
        assertThat(updates.size()).isGreaterThan(2);
        assertThat(ModelStore.verify(config(), MTCNN)).isEqualTo(pulled);
    }

    @Test
    void aTruncatedDownloadIsRefusedAndNothingIsCached() throws IOException {
        URI mirror = serve(Arrays.copyOf(original(), 4096));

        assertThatThrownBy(() -> ModelStore.pull(config(), MTCNN, mirror, DownloadProgress.NONE))
                .isInstanceOf(ModelIntegrityException.class)
                .hasMessageContaining("truncated")
                .hasMessageContaining("nothing was cached");
        assertThat(ModelStore.locate(config(), MTCNN)).isEmpty();
    }

    private ModelStoreConfig config() {
        return new ModelStoreConfig(Optional.of(assets), cache, false);
    }

    private static byte[] original() throws IOException {
        return Files.readAllBytes(TestAssets.dir().resolve(MTCNN.file()));
    }

    private URI serve(byte[] body) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/mtcnn.pb", exchange -> {
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/mtcnn.pb");
    }

    private static Path write(Path file, byte[] content) throws IOException {
        Files.createDirectories(file.getParent());
        return Files.write(file, content);
    }
}
