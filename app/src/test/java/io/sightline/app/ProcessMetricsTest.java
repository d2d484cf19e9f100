package io.sightline.app;

import static io.sightline.app.Scrapes.scrape;
import static io.sightline.app.Scrapes.sum;
import static org.assertj.core.api.Assertions.assertThat;

import io.sightline.cluster.EmbeddedKafkaConfig;
import io.sightline.cluster.LocalCluster;
import io.sightline.ingest.DirectorySource;
import io.sightline.ingest.DirectorySourceConfig;
import io.sightline.ingest.KafkaIngest;
import io.sightline.schemas.FrameLimits;
import io.sightline.schemas.Topics;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code process --metrics-port} in its own JVM on the real broker: after the Solvay photo and a truncated JPEG, its
 * Prometheus text counts 2 frames in, 1 event out, 1 inference and 1 IMAGE_DECODE dead letter, with per-stage latency
 * histograms, Kafka Streams and JVM meters.
 */
class ProcessMetricsTest {

    @TempDir
    Path tmp;

    @Test
    void processServesPrometheusMetricsOfWhatItProcessed() throws Exception {
        Path assets = CommandRun.assets();
        Path input = Files.createDirectory(tmp.resolve("in"));
        Files.copy(assets.resolve("images/solvay-1927.jpg"), input.resolve("solvay-1927.jpg"));
        // A camera three hours ahead: processed, and counted as skewed.
        Files.setLastModifiedTime(input.resolve("solvay-1927.jpg"), FileTime.from(Instant.now().plus(Duration.ofHours(3))));
        byte[] jpeg = Files.readAllBytes(assets.resolve("images/solvay-1927.jpg"));
        Files.write(input.resolve("truncated.jpg"), Arrays.copyOf(jpeg, jpeg.length / 2));
        Topics topics = Topics.withPrefix("metered");
        int port;
        try (var socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        URI metrics = URI.create("http://127.0.0.1:" + port + "/metrics");

        try (LocalCluster cluster = LocalCluster.start(new EmbeddedKafkaConfig(null, 0, 0,
                FrameLimits.DEFAULT_MAX_RECORD_BYTES, Map.of()), 0, topics, 1)) {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process process = new ProcessBuilder(java, "-Xmx1g", "-cp", System.getProperty("java.class.path"),
                    Sightline.class.getName(), "process", "--bootstrap-servers", cluster.bootstrapServers(),
                    "--registry-url", cluster.registryUrl().toString(), "--topic-prefix", "metered",
                    "--metrics-port", String.valueOf(port), "--assets", assets.toString())
                    .redirectErrorStream(true).redirectOutput(tmp.resolve("process.log").toFile()).start();
            try {
                FrameLimits limits = FrameLimits.defaults().fromCluster(cluster.bootstrapServers(), topics.all());
                var source = new DirectorySource(new DirectorySourceConfig(input, Optional.empty(), limits));
                String text = null;
                Instant deadline = Instant.now().plusSeconds(180);
                boolean published = false;
                while (Instant.now().isBefore(deadline)) {
                    text = scrape(metrics);
                    if (text != null && !published) {
                        KafkaIngest.publish(source, cluster.bootstrapServers(), cluster.serdes(), topics, limits);
                        published = true;
                    }
                    if (text != null && sum(text, "sightline_processor_frames_out_total") == 1
                            && sum(text, "sightline_processor_dead_letters_total") == 1) {
                        break;
                    }
                    Thread.sleep(500);
                }
                assertThat(text).as(Files.readString(tmp.resolve("process.log"))).isNotNull();
                assertThat(sum(text, "sightline_processor_frames_in_total")).isEqualTo(2);
                assertThat(sum(text, "sightline_processor_frames_out_total")).isEqualTo(1);
                assertThat(sum(text, "sightline_processor_faces_total")).isEqualTo(29);
                assertThat(sum(text, "sightline_processor_frames_clock_skewed_total{camera=\"default\","
                        + "component=\"process\",direction=\"ahead\"}")).isEqualTo(1);
                assertThat(sum(text, "sightline_processor_inference_runs_total{")).isEqualTo(1);
                assertThat(sum(text, "sightline_processor_dead_letters_total{component=\"process\",reason=\"IMAGE_DECODE\""))
                        .isEqualTo(1);
                assertThat(sum(text, "sightline_processor_stage_latency_seconds_count{component=\"process\",stage=\"inference\"}"))
                        .isEqualTo(1);
                assertThat(text).contains("sightline_processor_stage_latency_seconds_bucket{")
                        .contains("stage=\"decode\"").contains("stage=\"udf\"")
                        .contains("kafka_stream_thread_process_total").contains("kafka_consumer_fetch_manager_records_lag")
                        .contains("jvm_memory_used_bytes").contains("sightline_native_memory_bytes");
            } finally {
                process.destroy();
                if (!process.waitFor(60, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            }
        }
    }

    /** The metrics text, or null while the endpoint is not up yet. */
}
