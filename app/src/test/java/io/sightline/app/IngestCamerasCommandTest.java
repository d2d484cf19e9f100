package io.sightline.app;

import static io.sightline.app.Scrapes.sum;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sightline.ingest.RtspTestServer;
import io.sightline.ingest.TestVideos;
import io.sightline.schemas.Topics;
import io.sightline.schemas.avro.Frame;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** `ingest cameras`: a live RTSP camera, an unreachable one, a folder, a corrupt video and a disabled one at once. */
class IngestCamerasCommandTest {

    private static final Topics TOPICS = ClusterPerClass.TOPICS;

    @RegisterExtension
    static final ClusterPerClass cluster = new ClusterPerClass();

    @TempDir
    static Path tmp;

    @Test
    void aFailingOrUnreachableCameraNeverStopsTheOthersAndEachHasItsLineInTheSummary() throws Exception {
        Path assets = CommandRun.assets();
        Path stills = Files.createDirectories(tmp.resolve("stills"));
        Files.copy(assets.resolve("images/solvay-1927.jpg"), stills.resolve("solvay-1927.jpg"));
        Files.copy(assets.resolve("images/tf-mtcnn-test.jpg"), stills.resolve("tf-mtcnn-test.jpg"));
        Files.writeString(tmp.resolve("broken.mp4"), "not a video");
        Path h264 = TestVideos.write(tmp.resolve("camera.mp4"), assets.resolve("images/tf-mtcnn-test.jpg"), 25, 20,
                "mp4", "libopenh264");
        try (var rtsp = RtspTestServer.start(0, h264)) {
            Path yaml = Files.writeString(tmp.resolve("cameras.yaml"), """
                    cameras:
                      - {id: lobby, source: "%s", fps: 5, pipeline: faces}
                      - {id: gone, source: "http://127.0.0.1:1/stream"}
                      - {id: shelf, source: stills}
                      - {id: broken, source: broken.mp4}
                      - {id: spare, source: stills, enabled: false}
                    """.formatted(rtsp.url()));

            int metricsPort;
            try (var socket = new ServerSocket(0)) {
                metricsPort = socket.getLocalPort();
            }
            var running = CompletableFuture.supplyAsync(() -> CommandRun.of("ingest", "cameras",
                    yaml.toString(), "--duration", "6", "--json", "--metrics-port", String.valueOf(metricsPort),
                    "--bootstrap-servers", cluster.bootstrapServers(), "--registry-url",
                    cluster.registryUrl().toString()));
            String metrics = scrapeWhileRunning(running, URI.create("http://127.0.0.1:" + metricsPort + "/metrics"));
            CommandRun run = running.get(120, TimeUnit.SECONDS);

            assertThat(run.exitCode()).as("a camera failed: " + run.err()).isEqualTo(1);
            JsonNode summary = new ObjectMapper().readTree(run.out());
            System.out.println("ingest cameras: " + summary);
            Map<String, JsonNode> byId = new HashMap<>();
            summary.get("cameras").forEach(c -> byId.put(c.get("id").asText(), c));
            assertThat(byId.get("lobby").get("state").asText()).isEqualTo("done");
            assertThat(byId.get("lobby").get("published").asInt()).isBetween(20, 31); // 5 fps for 6 s
            assertThat(byId.get("lobby").get("pipeline").asText()).isEqualTo("faces");
            assertThat(byId.get("gone").get("state").asText()).isEqualTo("no frames");
            assertThat(byId.get("gone").get("published").asInt()).isZero();
            assertThat(byId.get("shelf").get("state").asText()).isEqualTo("done");
            assertThat(byId.get("shelf").get("published").asInt()).isEqualTo(2);
            assertThat(byId.get("broken").get("state").asText()).isEqualTo("failed");
            assertThat(byId.get("broken").get("failure").asText()).startsWith("broken.mp4: FFmpeg cannot open it");
            assertThat(byId.get("spare").get("state").asText()).isEqualTo("disabled");

            // Scraped during the run: per camera, what was sent, its bytes, dead letters by reason, reconnects.
            assertThat(metrics).as(run.err()).isNotNull();
            assertThat(sum(metrics, "sightline_ingest_frames_sent_total{camera=\"lobby\"")).isPositive();
            assertThat(sum(metrics, "sightline_ingest_frames_sent_total{camera=\"shelf\"")).isEqualTo(2);
            assertThat(sum(metrics, "sightline_ingest_frames_sent_bytes_total{camera=\"shelf\"")).isEqualTo(
                    Files.size(stills.resolve("solvay-1927.jpg")) + Files.size(stills.resolve("tf-mtcnn-test.jpg")));
            assertThat(sum(metrics, "sightline_ingest_dead_letters_total{camera=\"broken\"")).as(metrics).isEqualTo(1);
            assertThat(metrics).contains("sightline_ingest_reconnects_total{camera=\"lobby\"")
                    .contains("sightline_ingest_reconnects_total{camera=\"gone\"");

            List<ConsumerRecord<String, Frame>> frames = TopicFrames.records(cluster.bootstrapServers(),
                    cluster.serdes(), TOPICS.frames(), Frame.class);
            assertThat(frames.stream().filter(r -> r.key().equals("lobby"))).hasSize(
                    byId.get("lobby").get("published").asInt());
            assertThat(frames.stream().filter(r -> r.key().equals("shelf"))).hasSize(2);
        }
    }

    /** The last metrics text scraped while {@code run} was running (null if the endpoint never answered). */
    private static String scrapeWhileRunning(Future<?> run, URI uri)
            throws InterruptedException {
        String last = null;
        var http = HttpClient.newHttpClient();
        while (!run.isDone()) {
            try {
                var response = http.send(HttpRequest.newBuilder(uri).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    last = response.body();
                }
            } catch (IOException notUpOrGone) {
                // before the endpoint starts, or after it stopped
            }
            Thread.sleep(200);
        }
        return last;
    }

    @Test
    void aMistakeInTheListFailsAtOnceNamingTheFileAndTheField() throws Exception {
        Path yaml = Files.writeString(tmp.resolve("typo.yaml"), """
                cameras:
                  - {id: door, source: "rtsp://10.0.0.5/stream1"}
                  - {id: yard, source: "rtsp://10.0.0.6/stream1", fsp: 5}
                """);

        CommandRun run = CommandRun.of("ingest", "cameras", yaml.toString(), "--bootstrap-servers",
                cluster.bootstrapServers(), "--registry-url", cluster.registryUrl().toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains(yaml + ": cameras[1].fsp: unknown field");
    }
}
