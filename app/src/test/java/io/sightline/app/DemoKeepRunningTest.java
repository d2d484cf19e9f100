package io.sightline.app;

import static io.sightline.app.Scrapes.sum;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contract of {@code demo --keep-running --json}, as a user runs it (its own JVM, stopped with SIGTERM): the summary
 * JSON carries {@code dashboardUrl} and {@code metricsUrl}, and while it keeps running the events API finds the Solvay
 * event by camera and time range, the snapshot is an image, and {@code /metrics} has non-zero frame and inference
 * counters and a latency histogram.
 */
class DemoKeepRunningTest {

    @TempDir
    Path tmp;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void keepRunningServesTheDashboardEventsApiAndMetricsUntilStopped() throws Exception {
        Instant before = Instant.now().minusSeconds(1); // the copy's file time becomes the frame's capture time
        Path assets = CommandRun.assets();
        Path input = Files.createDirectory(tmp.resolve("in"));
        Files.copy(assets.resolve("images/solvay-1927.jpg"), input.resolve("solvay-1927.jpg"));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process demo = new ProcessBuilder(java, "-Xmx1g", "-cp", System.getProperty("java.class.path"),
                Sightline.class.getName(), "demo", "--keep-running", "--json", "--dashboard-port", "0",
                "--input", input.toString(), "--out", tmp.resolve("out").toString(), "--assets", assets.toString())
                .redirectError(tmp.resolve("demo.err").toFile())
                .start();
        try {
            var firstLine = CompletableFuture.supplyAsync(() -> {
                try {
                    return new BufferedReader(new InputStreamReader(demo.getInputStream(), StandardCharsets.UTF_8))
                            .readLine();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            String line = firstLine.get(240, TimeUnit.SECONDS);
            assertThat(line).as(Files.readString(tmp.resolve("demo.err"))).isNotNull();
            JsonNode summary = new ObjectMapper().readTree(line);
            assertThat(summary.get("faces").asInt()).isEqualTo(29);
            URI dashboard = URI.create(summary.get("dashboardUrl").asText());
            URI metrics = URI.create(summary.get("metricsUrl").asText());
            assertThat(dashboard.getHost()).isEqualTo("127.0.0.1");

            String page = get(dashboard).body();
            assertThat(page).contains("<title>Sightline</title>");

            String range = "?camera=default&from=" + before + "&to=" + Instant.now().plusSeconds(60);
            JsonNode events = awaitEvents(dashboard.resolve("/api/events" + range));
            assertThat(events).hasSize(1);
            assertThat(events.get(0).get("frameId").asText()).isEqualTo("solvay-1927");
            assertThat(events.get(0).get("faces")).hasSize(29);

            HttpResponse<byte[]> snapshot = http.send(HttpRequest.newBuilder(
                    dashboard.resolve("/api/cameras/default/snapshot")).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(snapshot.statusCode()).isEqualTo(200);
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(snapshot.body()));
            assertThat(image.getWidth()).isEqualTo(960);

            String text = get(metrics).body();
            assertThat(sum(text, "sightline_frames_processed_total{")).isEqualTo(1);
            assertThat(sum(text, "sightline_inference_runs_total{")).isEqualTo(1);
            assertThat(text).contains("sightline_stage_latency_seconds_bucket{").contains("stage=\"inference\"");
            assertThat(sum(text, "sightline_stage_latency_seconds_count{component=\"dashboard\",stage=\"inference\"}"))
                    .isEqualTo(1);
        } finally {
            demo.destroy(); // SIGTERM: the demo closes dashboard, processor, registry and broker
            boolean exited = demo.waitFor(60, TimeUnit.SECONDS);
            if (!exited) {
                demo.destroyForcibly();
            }
            assertThat(exited).as("demo stops on SIGTERM").isTrue();
        }
    }

    private JsonNode awaitEvents(URI uri) throws Exception {
        Instant deadline = Instant.now().plusSeconds(60);
        JsonNode events = null;
        while (Instant.now().isBefore(deadline)) {
            HttpResponse<String> response = get(uri);
            if (response.statusCode() == 200) {
                events = new ObjectMapper().readTree(response.body());
                if (events.size() > 0) {
                    return events;
                }
            }
            Thread.sleep(500);
        }
        return events;
    }

    private HttpResponse<String> get(URI uri) throws Exception {
        return http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
    }
}
