package io.sightline.app;

import io.sightline.dashboard.MetricsEndpoint;
import io.sightline.dashboard.SightlineMetrics;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.sightline.ingest.DirectorySourceConfig;
import io.sightline.ingest.KafkaFrameSink;
import io.sightline.ingest.LiveFeed;
import io.sightline.ingest.LiveIngest;
import io.sightline.ingest.LiveReport;
import io.sightline.ingest.MjpegSource;
import io.sightline.ingest.MjpegSourceConfig;
import io.sightline.schemas.DeadLetterReason;
import io.sightline.schemas.FrameLimits;
import io.sightline.schemas.SightlineSerdes;
import java.io.PrintWriter;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.kafka.common.KafkaException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Publishes a live MJPEG camera until stopped. */
@Command(name = "mjpeg", mixinStandardHelpOptions = true,
        description = "Publish an MJPEG-over-HTTP camera (multipart/x-mixed-replace: most IP cameras, ESP32-CAM, "
                + "ffmpeg -f mpjpeg) as Frame records, reconnecting by itself; the newest frame wins when Kafka is "
                + "slower than the camera. Ctrl-C flushes and prints the summary.")
final class IngestMjpegCommand implements Callable<Integer> {

    /** Frames sent but not yet acknowledged: enough to keep a remote broker busy, few enough to stay current. */
    private static final int MAX_IN_FLIGHT = 2;

    @Parameters(paramLabel = "URL", description = "The camera's stream, e.g. http://192.168.1.20:81/stream.")
    URI url;

    @Option(names = "--max-frames", paramLabel = "N", defaultValue = "0",
            description = "Stop after publishing N frames (default: run until Ctrl-C).")
    long maxFrames;

    @Option(names = "--duration", paramLabel = "SECONDS", description = "Stop after this many seconds.")
    Double durationSeconds;

    @Mixin
    IngestOptions options;

    @Mixin
    KafkaOptions kafka;

    @Mixin
    MetricsOptions metrics;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        String camera = Optional.ofNullable(options.camera).orElse(DirectorySourceConfig.DEFAULT_CAMERA);
        var feed = new LiveFeed(options.fps());
        Optional<Duration> duration = duration();
        kafka.requireReachable(List.of(kafka.topics().frames(), kafka.topics().deadLetters()));
        FrameLimits limits = kafka.limits();
        var source = new MjpegSource(MjpegSourceConfig.of(url, camera, limits), Clock.systemUTC());
        PrintWriter err = spec.commandLine().getErr();
        Shutdown shutdown = new Shutdown();
        shutdown.exitZeroWhenStopped();
        long started = System.nanoTime();
        var registry = SightlineMetrics.create("ingest");
        try (MetricsEndpoint endpoint = metrics.serve(registry, err);
                var sink = KafkaFrameSink.open(kafka.bootstrapServers, SightlineSerdes.forUrls(kafka.registryUrl),
                kafka.topics(), limits, MAX_IN_FLIGHT)) {
            var live = new LiveIngest(source, feed, sink, maxFrames, duration);
            IngestMetrics.bind(registry, camera, live::report, sink::acknowledged);
            Thread stopOnRequest = new Thread(() -> {
                try {
                    shutdown.awaitRequest();
                    live.stop();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "ingest-stop");
            stopOnRequest.setDaemon(true);
            stopOnRequest.start();
            err.printf("Publishing camera %s from %s to %s; Ctrl-C stops.%n", camera, url, kafka.topics().frames());
            err.flush();
            LiveReport report;
            try (var progress = new Progress(err, () -> progressLine(camera, live.report(), started))) {
                report = live.run();
            }
            String failure = null;
            try {
                sink.flush();
            } catch (KafkaException e) {
                failure = e.getMessage();
            }
            print(camera, report, sink.acknowledged(), sink.rejectedByReason(), started);
            if (failure != null) {
                err.println("sightline ingest: " + failure + "; frames sent but not acknowledged are not counted "
                        + "as published");
                err.flush();
                return 1;
            }
            return 0;
        } finally {
            shutdown.request();
            shutdown.finished();
        }
    }

    private Optional<Duration> duration() {
        if (maxFrames < 0) {
            throw new IllegalArgumentException("--max-frames must be 0 (no limit) or more, got " + maxFrames);
        }
        if (durationSeconds == null) {
            return Optional.empty();
        }
        if (!(durationSeconds > 0) || Double.isInfinite(durationSeconds)) {
            throw new IllegalArgumentException("--duration must be a positive number of seconds, got "
                    + durationSeconds);
        }
        return Optional.of(Duration.ofMillis((long) (durationSeconds * 1000)));
    }

    private static String progressLine(String camera, LiveReport r, long started) {
        return String.format("%s: %d published, %d skipped, %d rejected, %.1f frames/s, %s", camera, r.published(),
                r.skipped(), r.rejectedTotal(), r.published() / seconds(started),
                r.streaming() ? "streaming" : "reconnecting (" + r.reconnects() + " reconnects so far)");
    }

    /** @param published frames the cluster acknowledged */
    private void print(String camera, LiveReport report, long published, Map<DeadLetterReason, Integer> byReason,
            long started) {
        long rejected = byReason.values().stream().mapToLong(Integer::longValue).sum();
        double seconds = seconds(started);
        var out = spec.commandLine().getOut();
        if (options.json) {
            var json = JsonNodeFactory.instance.objectNode().put("camera", camera).put("url", url.toString())
                    .put("published", published).put("skipped", report.skipped())
                    .put("skippedStale", report.skippedStale()).put("skippedOverFps", report.skippedOverFps())
                    .put("rejected", rejected).put("unsent", report.unsent());
            var reasons = json.putObject("byReason");
            byReason.forEach((reason, count) -> reasons.put(reason.name(), count));
            json.put("reconnects", report.reconnects())
                    .put("gapSeconds", report.gap().toMillis() / 1000.0)
                    .put("seconds", Math.round(seconds * 1000) / 1000.0)
                    .put("framesPerSecond", Math.round(published / seconds * 100) / 100.0);
            out.println(json);
        } else {
            out.printf("camera %s: published %d frames to %s in %.1f s (%.1f frames/s); skipped %d (%d newer frame "
                            + "waiting, %d over --fps); rejected %d %s to %s; %d unsent while Kafka was unavailable; "
                            + "%d reconnects, %.1f s without frames%n",
                    camera, published, kafka.topics().frames(), seconds, published / seconds, report.skipped(),
                    report.skippedStale(), report.skippedOverFps(), rejected, byReason, kafka.topics().deadLetters(),
                    report.unsent(), report.reconnects(), report.gap().toMillis() / 1000.0);
        }
        out.flush();
    }

    private static double seconds(long started) {
        return Math.max(1e-3, (System.nanoTime() - started) / 1e9);
    }
}
