package io.sightline.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `models list | verify | pull` as a user runs them, on the real MTCNN file. */
class ModelsCommandTest {

    private static final String MTCNN_FILE = "models/mtcnn/mtcnn.pb";

    @TempDir
    Path cache;

    @TempDir
    Path otherAssets;

    @Test
    void listShowsTheManifestAndWhereTheFileIs() throws IOException {
        CommandRun run = CommandRun.of("models", "list", "--json", "--assets", CommandRun.assets().toString(),
                "--cache-dir", cache.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode mtcnn = new ObjectMapper().readTree(run.out()).get(0);
        assertThat(mtcnn.get("name").asText()).isEqualTo("mtcnn");
        assertThat(mtcnn.get("format").asText()).isEqualTo("frozen-graphdef");
        assertThat(mtcnn.get("license").asText()).isEqualTo("MIT");
        assertThat(mtcnn.get("sizeBytes").asLong()).isEqualTo(Files.size(CommandRun.assets().resolve(MTCNN_FILE)));
        assertThat(mtcnn.get("path").asText()).endsWith(MTCNN_FILE);
        assertThat(mtcnn.get("outputs").toString()).contains("box", "prob", "landmarks");
    }

    @Test
    void verifyPassesOnTheSharedModelAndFailsOnATamperedCopyNamingBothChecksums() throws IOException {
        CommandRun good = CommandRun.of("models", "verify", "--assets", CommandRun.assets().toString(),
                "--cache-dir", cache.toString());
        assertThat(good.exitCode()).as(good.err()).isZero();
        assertThat(good.out()).contains("ok      mtcnn@tf-mtcnn-b7ffa19");

        byte[] tampered = Files.readAllBytes(CommandRun.assets().resolve(MTCNN_FILE));
        tampered[100] ^= 1;
        Files.createDirectories(otherAssets.resolve("models/mtcnn"));
        Files.write(otherAssets.resolve(MTCNN_FILE), tampered);
        CommandRun bad = CommandRun.of("models", "verify", "mtcnn", "--assets", otherAssets.toString(),
                "--cache-dir", cache.toString());

        assertThat(bad.exitCode()).isEqualTo(1);
        assertThat(bad.err()).contains("FAILED  mtcnn@tf-mtcnn-b7ffa19")
                .contains("f40d41e1d4d3aea5767078c1b1fc0666e354835b3956ffb6fcc835c981e58fb2 is pinned");
    }

    @Test
    void pullDownloadsIntoTheCacheWithAProgressBar() throws IOException {
        byte[] model = Files.readAllBytes(CommandRun.assets().resolve(MTCNN_FILE));
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/mtcnn.pb", exchange -> {
            exchange.sendResponseHeaders(200, model.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(model);
            }
        });
        server.start();
        try {
            CommandRun run = CommandRun.of("models", "pull", "mtcnn", "--cache-dir", cache.toString(), "--from",
                    "http://127.0.0.1:" + server.getAddress().getPort() + "/mtcnn.pb");

            assertThat(run.exitCode()).as(run.err()).isZero();
            assertThat(run.err()).contains("100%").contains("[##############################]");
            assertThat(run.out()).contains("(verified)");
            assertThat(Files.readAllBytes(cache.resolve(MTCNN_FILE))).isEqualTo(model);
        } finally {
            server.stop(0);
        }
    }

    @Test
    void pullOfAnUnknownModelNamesTheKnownOnes() {
        CommandRun run = CommandRun.of("models", "pull", "yolo", "--cache-dir", cache.toString());

        assertThat(run.exitCode()).isNotZero();
        assertThat(run.err()).contains("no model named yolo").contains("mtcnn");
    }
}
