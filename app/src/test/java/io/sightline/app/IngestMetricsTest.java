package io.sightline.app;

import static io.sightline.app.Scrapes.scrape;
import static io.sightline.app.Scrapes.sum;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.sightline.cluster.EmbeddedKafkaConfig;
import io.sightline.cluster.LocalCluster;
import io.sightline.schemas.Topics;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code ingest mjpeg --metrics-port} against a local MJPEG camera and the real broker: while it runs, its Prometheus
 * text counts the frames sent and acknowledged for the camera, their bytes, and says it is streaming.
 */
class IngestMetricsTest {

    @Test
    void liveIngestServesPrometheusMetricsWhileItRuns() throws Exception {
        byte[] jpeg = Files.readAllBytes(CommandRun.assets().resolve("images/tf-mtcnn-test.jpg"));
        int port;
        try (var socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        URI metrics = URI.create("http://127.0.0.1:" + port + "/metrics");
        ExecutorService threads = Executors.newCachedThreadPool();
        HttpServer camera = camera(jpeg, threads);
        try (LocalCluster cluster = LocalCluster.start(EmbeddedKafkaConfig.defaults(), 0,
                Topics.withPrefix(Topics.DEFAULT_PREFIX), 1)) {
            String url = "http://127.0.0.1:" + camera.getAddress().getPort() + "/stream";
            var run = CompletableFuture.supplyAsync(() -> CommandRun.of("ingest", "mjpeg", url, "--camera", "gate",
                    "--duration", "8", "--metrics-port", String.valueOf(port), "--bootstrap-servers",
                    cluster.bootstrapServers(), "--registry-url", cluster.registryUrl().toString(), "--json"));
            String text = null;
            Instant deadline = Instant.now().plusSeconds(30);
            while (Instant.now().isBefore(deadline) && !run.isDone()) {
                text = scrape(metrics);
                // Frames and bytes are two counters: a scrape between an acknowledgement's two increments sees them
                // apart, so wait for a scrape that caught them together.
                double acknowledged = text == null ? 0 : sum(text, "sightline_ingest_frames_acknowledged_total{camera=\"gate\"");
                if (acknowledged >= 3 && sum(text, "sightline_ingest_frames_acknowledged_bytes_total{camera=\"gate\"")
                        == acknowledged * jpeg.length) {
                    break;
                }
                Thread.sleep(200);
            }
            CommandRun result = run.get(60, TimeUnit.SECONDS);
            assertThat(result.exitCode()).as(result.err()).isZero();
            assertThat(text).as(result.err()).isNotNull();
            assertThat(sum(text, "sightline_ingest_frames_acknowledged_total{camera=\"gate\"")).isGreaterThanOrEqualTo(3);
            assertThat(sum(text, "sightline_ingest_frames_sent_total{camera=\"gate\"")).isGreaterThanOrEqualTo(3);
            assertThat(sum(text, "sightline_ingest_frames_acknowledged_bytes_total{camera=\"gate\""))
                    .isEqualTo(sum(text, "sightline_ingest_frames_acknowledged_total{camera=\"gate\"") * jpeg.length);
            assertThat(text).contains("sightline_ingest_reconnects_total{camera=\"gate\",component=\"ingest\"} 0.0");
            assertThat(sum(text, "sightline_ingest_streaming{camera=\"gate\"")).isEqualTo(1);
            assertThat(text).contains("sightline_ingest_frames_skipped_total{camera=\"gate\",component=\"ingest\",why=\"over_fps\"}")
                    .contains("jvm_memory_used_bytes{");
        } finally {
            camera.stop(0);
            threads.shutdownNow();
        }
    }

    private static HttpServer camera(byte[] image, ExecutorService threads) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/stream", exchange -> {
            exchange.getResponseHeaders().set("Content-Type", "multipart/x-mixed-replace;boundary=frame");
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                while (true) {
                    out.write(("--frame\r\nContent-Type: image/jpeg\r\nContent-Length: " + image.length + "\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
                    out.write(image);
                    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    Thread.sleep(100);
                }
            } catch (IOException | InterruptedException e) {
                // the client went away or the server stopped
            }
        });
        server.setExecutor(threads);
        server.start();
        return server;
    }
}
