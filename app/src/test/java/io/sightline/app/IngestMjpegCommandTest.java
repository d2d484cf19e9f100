package io.sightline.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.sightline.schemas.Topics;
import io.sightline.schemas.avro.Frame;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** `ingest mjpeg` and `ingest dir` on the real broker and registry, the camera a real HTTP server. */
class IngestMjpegCommandTest {

    private static final Topics TOPICS = ClusterPerClass.TOPICS;

    @RegisterExtension
    static final ClusterPerClass cluster = new ClusterPerClass();

    @Test
    void publishesACameraStreamAsFramesKeyedByCameraAndStopsAfterMaxFrames() throws Exception {
        byte[] solvay = Files.readAllBytes(CommandRun.assets().resolve("images/solvay-1927.jpg"));
        ExecutorService threads = Executors.newCachedThreadPool();
        HttpServer camera = mjpegCamera(solvay, threads, 0);
        try {
            String url = "http://127.0.0.1:" + camera.getAddress().getPort() + "/stream";
            CommandRun run = CommandRun.of("ingest", "mjpeg", url, "--bootstrap-servers", cluster.bootstrapServers(),
                    "--registry-url", cluster.registryUrl().toString(), "--camera", "door", "--max-frames", "20",
                    "--json");

            assertThat(run.exitCode()).as(run.err()).isZero();
            JsonNode summary = new ObjectMapper().readTree(run.out());
            System.out.println("ingest mjpeg: " + summary);
            assertThat(summary.get("published").asLong()).isEqualTo(20);
            assertThat(summary.get("rejected").asLong()).isZero();
            assertThat(summary.has("skipped")).isTrue();
            assertThat(summary.get("byReason").isObject()).isTrue();
            assertThat(summary.get("reconnects").asLong()).isZero();

            List<Frame> frames = framesOf("door");
            assertThat(frames).hasSize(20);
            assertThat(frames).extracting(Frame::getWidth).containsOnly(960);
            assertThat(frames).extracting(f -> f.getSource().getKind()).containsOnly("mjpeg");
            assertThat(frames).extracting(Frame::getCapturedAt).isSorted();
        } finally {
            camera.stop(0);
            threads.shutdownNow();
        }
    }

    @Test
    void reconnectsWhenTheCameraRestartsAndCountsTheGapInTheSummary() throws Exception {
        byte[] solvay = Files.readAllBytes(CommandRun.assets().resolve("images/solvay-1927.jpg"));
        ExecutorService threads = Executors.newCachedThreadPool();
        HttpServer camera = mjpegCamera(solvay, threads, 0);
        int port = camera.getAddress().getPort();
        HttpServer restarted = null;
        try {
            CompletableFuture<CommandRun> ingest = CompletableFuture.supplyAsync(() -> CommandRun.of("ingest",
                    "mjpeg", "http://127.0.0.1:" + port + "/stream", "--bootstrap-servers",
                    cluster.bootstrapServers(), "--registry-url", cluster.registryUrl().toString(),
                    "--camera", "gate", "--duration", "8", "--json"));
            Thread.sleep(2500);
            camera.stop(0);
            Thread.sleep(2000);
            Instant cameraBack = Instant.now();
            restarted = mjpegCamera(solvay, threads, port);

            CommandRun run = ingest.get(60, TimeUnit.SECONDS);
            assertThat(run.exitCode()).as(run.err()).isZero();
            JsonNode summary = new ObjectMapper().readTree(run.out());
            System.out.println("ingest mjpeg across a camera restart: " + summary);
            assertThat(summary.get("reconnects").asLong()).isGreaterThanOrEqualTo(1);
            assertThat(summary.get("gapSeconds").asDouble()).isGreaterThanOrEqualTo(2.0);
            List<Frame> frames = framesOf("gate");
            assertThat(frames).hasSize(summary.get("published").asInt());
            assertThat(frames).as("frames after the restart").filteredOn(f -> f.getCapturedAt().isAfter(cameraBack))
                    .hasSizeGreaterThan(5);
        } finally {
            if (restarted != null) {
                restarted.stop(0);
            }
            threads.shutdownNow();
        }
    }

    @Test
    void sigtermFlushesPrintsTheSummaryAndExitsZero(@TempDir Path tmp) throws Exception {
        byte[] solvay = Files.readAllBytes(CommandRun.assets().resolve("images/solvay-1927.jpg"));
        ExecutorService threads = Executors.newCachedThreadPool();
        HttpServer camera = mjpegCamera(solvay, threads, 0);
        Process ingest = null;
        try {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            ingest = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                    Sightline.class.getName(), "ingest", "mjpeg",
                    "http://127.0.0.1:" + camera.getAddress().getPort() + "/stream",
                    "--bootstrap-servers", cluster.bootstrapServers(), "--registry-url",
                    cluster.registryUrl().toString(), "--camera", "porch", "--json")
                    .redirectOutput(tmp.resolve("out").toFile())
                    .redirectError(tmp.resolve("err").toFile())
                    .start();
            awaitLine(tmp.resolve("err"), "porch: ", Duration.ofSeconds(60));

            ingest.destroy(); // SIGTERM, as Ctrl-C's SIGINT
            assertThat(ingest.waitFor(30, TimeUnit.SECONDS)).as("exits after SIGTERM").isTrue();

            assertThat(ingest.exitValue()).as(Files.readString(tmp.resolve("err"))).isZero();
            JsonNode summary = new ObjectMapper().readTree(Files.readString(tmp.resolve("out")));
            assertThat(summary.get("published").asLong()).isPositive();
            assertThat(framesOf("porch")).hasSize(summary.get("published").asInt());
        } finally {
            if (ingest != null) {
                ingest.destroyForcibly();
            }
            camera.stop(0);
            threads.shutdownNow();
        }
    }

    @Test
    void ingestDirWithoutTheSubcommandStillWorks() {
        CommandRun run = CommandRun.of("ingest", CommandRun.assets().resolve("images").toString(),
                "--bootstrap-servers", cluster.bootstrapServers(), "--registry-url", cluster.registryUrl().toString(),
                "--camera", "folder", "--json");
        CommandRun explicit = CommandRun.of("ingest", "dir", CommandRun.assets().resolve("images").toString(),
                "--bootstrap-servers", cluster.bootstrapServers(), "--registry-url", cluster.registryUrl().toString(),
                "--camera", "folder", "--json", "--fps", "20");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out().strip()).isEqualTo("{\"published\":2,\"skipped\":1,\"rejected\":0,\"byReason\":{}}");
        assertThat(explicit.out()).isEqualTo(run.out());
    }

    private static void awaitLine(Path file, String start, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(file) && Files.readAllLines(file).stream().anyMatch(l -> l.startsWith(start))) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no line starting with '" + start + "' in " + file + ": "
                + (Files.exists(file) ? Files.readString(file) : "(missing)"));
    }

    private static List<Frame> framesOf(String camera) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 16 * 1024 * 1024);
        List<Frame> frames = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(p, new StringDeserializer(),
                cluster.serdes().deserializer(Frame.class))) {
            var partition = new TopicPartition(TOPICS.frames(), 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition)).get(partition);
            while (consumer.position(partition) < end) {
                consumer.poll(Duration.ofMillis(500)).forEach(record -> {
                    if (record.key().equals(camera)) {
                        assertThat(record.value().getCameraId()).isEqualTo(camera);
                        // Captured on arrival, stamped when written (WriteTime): the same moment, give or take the send.
                        assertThat(record.timestamp()).isBetween(record.value().getCapturedAt().toEpochMilli(),
                                record.value().getCapturedAt().toEpochMilli() + 5_000);
                        frames.add(record.value());
                    }
                });
            }
        }
        return frames;
    }

    /** ffmpeg's -f mpjpeg framing: boundary "ffmpeg", a Content-Length per part, 25 fps. */
    private static HttpServer mjpegCamera(byte[] image, ExecutorService threads, int port) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        server.createContext("/stream", exchange -> {
            exchange.getResponseHeaders().set("Content-Type", "multipart/x-mixed-replace;boundary=ffmpeg");
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                while (true) {
                    out.write(("--ffmpeg\r\nContent-type: image/jpeg\r\nContent-length: " + image.length + "\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
                    out.write(image);
                    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    Thread.sleep(40);
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
