package io.sightline.app;

import static io.sightline.app.Scrapes.scrape;
import static io.sightline.app.Scrapes.sum;
import static org.assertj.core.api.Assertions.assertThat;

import io.sightline.cluster.EmbeddedKafkaConfig;
import io.sightline.cluster.LocalCluster;
import io.sightline.schemas.FrameLimits;
import io.sightline.schemas.Topics;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The new Prometheus series after real work: {@code ingest dir --metrics-port} (paced, so it runs long enough to be
 * scraped) counts frames, bytes and dead letters by reason per camera; {@code process --metrics-port} in its own JVM,
 * running the misbehaving test UDF deployed through the udfs topic, counts a trap, a timeout and a deliberate drop as
 * their own series tagged with the UDF, and exports its memory (RSS, native, buffer pools) and consumer lag.
 */
class ProcessUdfMetricsTest {

    private static final String PREFIX = "udfmetrics";

    @TempDir
    Path tmp;

    @Test
    void trapsTimeoutsAndDropsOfAUdfAndWhatIngestSentAreCountedPerUdfAndCamera() throws Exception {
        byte[] jpeg = Files.readAllBytes(CommandRun.assets().resolve("images/tf-mtcnn-test.jpg"));
        Path input = tmp.resolve("in");
        // The misbehaving UDF chooses by camera id: trap, loop (runs past its 1 s budget), drop; others pass. Sent in
        // this order (capture times, then folder order), so everything counted is sent before the last two frames:
        // a scrape while they are paced sees it.
        List<Path> files = new ArrayList<>();
        for (String camera : new String[] {"door", "drop", "loop", "trap", "zz-pad", "zz-pad"}) {
            Path folder = Files.createDirectories(input.resolve(camera));
            files.add(Files.write(folder.resolve(camera + "-" + files.size() + ".jpg"), jpeg));
        }
        files.add(1, Files.writeString(input.resolve("door").resolve("notes.jpg"), "not an image"));
        Instant t0 = Instant.parse("2026-11-30T08:00:00Z");
        for (int i = 0; i < files.size(); i++) {
            Files.setLastModifiedTime(files.get(i), FileTime.from(t0.plusSeconds(60L * i)));
        }
        Path module = tmp.resolve("misbehave.wasm");
        try (InputStream in = ProcessUdfMetricsTest.class.getResourceAsStream("/misbehave.wasm")) {
            assertThat(in).as("misbehave.wasm from the wasm-udfs test jar").isNotNull();
            Files.write(module, in.readAllBytes());
        }
        URI processMetrics = Scrapes.metricsUrl(Scrapes.freePort());
        int ingestPort = Scrapes.freePort();
        URI ingestMetrics = Scrapes.metricsUrl(ingestPort);

        try (LocalCluster cluster = LocalCluster.start(new EmbeddedKafkaConfig(null, 0, 0,
                FrameLimits.DEFAULT_MAX_RECORD_BYTES, Map.of()), 0, Topics.withPrefix(PREFIX), 1)) {
            String[] kafka = {"--bootstrap-servers", cluster.bootstrapServers(), "--registry-url",
                    cluster.registryUrl().toString(), "--topic-prefix", PREFIX};
            CommandRun deploy = CommandRun.of(concat(new String[] {"udf", "deploy", "misbehave", module.toString(),
                    "--version", "1.0.0"}, kafka));
            assertThat(deploy.exitCode()).as(deploy.err()).isZero();

            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process process = new ProcessBuilder(concat(new String[] {java, "-Xmx1g", "-cp",
                    System.getProperty("java.class.path"), Sightline.class.getName(), "process", "--udf", "misbehave",
                    "--metrics-port", String.valueOf(processMetrics.getPort()), "--assets",
                    CommandRun.assets().toString()}, kafka))
                    .redirectErrorStream(true).redirectOutput(tmp.resolve("process.log").toFile()).start();
            try {
                Instant deadline = Instant.now().plusSeconds(180);
                while (scrape(processMetrics) == null && Instant.now().isBefore(deadline) && process.isAlive()) {
                    Thread.sleep(500);
                }

                // Seven inputs, frames at 2 per second: the ingest's endpoint is up for about three seconds.
                var ingest = CompletableFuture.supplyAsync(() -> CommandRun.of(concat(new String[] {"ingest", "dir",
                        input.toString(), "--fps", "2", "--metrics-port", String.valueOf(ingestPort)}, kafka)));
                String sent = null;
                while (!ingest.isDone()) {
                    String text = scrape(ingestMetrics);
                    if (text != null) {
                        sent = text;
                    }
                    Thread.sleep(100);
                }
                CommandRun ingested = ingest.get(60, TimeUnit.SECONDS);
                assertThat(ingested.exitCode()).as(ingested.err()).isZero();
                assertThat(ingested.err()).contains("Metrics at http://127.0.0.1:" + ingestPort + "/metrics");
                assertThat(sent).as("a scrape while ingest dir ran").isNotNull();
                for (String camera : new String[] {"door", "drop", "loop", "trap"}) {
                    assertThat(sum(sent, "sightline_ingest_frames_sent_total{camera=\"" + camera + "\"")).isEqualTo(1);
                    assertThat(sum(sent, "sightline_ingest_frames_sent_bytes_total{camera=\"" + camera + "\""))
                            .isEqualTo(jpeg.length);
                }
                assertThat(sum(sent, "sightline_ingest_frames_acknowledged_total{camera=\"door\"")).isEqualTo(1);
                assertThat(sum(sent, "sightline_ingest_frames_acknowledged_bytes_total{camera=\"door\""))
                        .isEqualTo(jpeg.length);
                assertThat(sum(sent, "sightline_ingest_dead_letters_total{camera=\"door\",component=\"ingest\","
                        + "reason=\"UNSUPPORTED_FORMAT\"}")).as(sent).isEqualTo(1);
                assertThat(sum(sent, "sightline_ingest_frames_rejected_total{camera=\"door\"")).isEqualTo(1);

                String text = null;
                while (Instant.now().isBefore(deadline)) {
                    text = scrape(processMetrics);
                    if (text != null && sum(text, "sightline_processor_frames_in_total") == 6
                            && sum(text, "sightline_processor_frames_out_total") == 3) {
                        break;
                    }
                    Thread.sleep(500);
                }
                assertThat(text).as(Files.readString(tmp.resolve("process.log"))).isNotNull();
                assertThat(sum(text, "sightline_udf_traps_total{component=\"process\",udf=\"misbehave@1.0.0\"}"))
                        .isEqualTo(1);
                assertThat(sum(text, "sightline_udf_timeouts_total{component=\"process\",udf=\"misbehave@1.0.0\"}"))
                        .isEqualTo(1);
                assertThat(sum(text, "sightline_processor_frames_skipped_total{component=\"process\","
                        + "udf=\"misbehave@1.0.0\"}")).isEqualTo(1);
                assertThat(sum(text, "sightline_processor_dead_letters_total{component=\"process\","
                        + "reason=\"UDF_TRAP\"")).isEqualTo(1);
                assertThat(sum(text, "sightline_process_resident_memory_bytes{")).isPositive();
                assertThat(sum(text, "sightline_native_memory_bytes{")).isPositive();
                assertThat(sum(text, "jvm_buffer_memory_used_bytes{component=\"process\",id=\"direct\"}")).isPositive();
                assertThat(text).contains("jvm_buffer_memory_used_bytes{component=\"process\",id=\"mapped\"}")
                        .contains("kafka_consumer_fetch_manager_records_lag_max{");
            } finally {
                process.destroy();
                if (!process.waitFor(60, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            }
        }
    }

    private static String[] concat(String[] a, String[] b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
