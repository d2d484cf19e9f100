package io.sightline.app;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.sightline.dashboard.MetricsEndpoint;
import io.sightline.dashboard.SightlineMetrics;
import io.sightline.ingest.KafkaFrameSink;
import io.sightline.ingest.LiveFeed;
import io.sightline.ingest.LiveIngest;
import io.sightline.ingest.LiveReport;
import io.sightline.ingest.LiveSource;
import io.sightline.schemas.DeadLetterReason;
import io.sightline.schemas.FrameLimits;
import java.io.PrintWriter;
import java.util.Map;
import java.util.function.Function;
import org.apache.kafka.common.KafkaException;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Runs one live camera for an `ingest` subcommand: Ctrl-C or the limits stop it, a progress line runs meanwhile, and
 * it ends with the summary (JSON with --json) once everything sent is acknowledged.
 */
final class LiveRun {

    /** Frames sent but not yet acknowledged: enough to keep a remote broker busy, few enough to stay current. */
    static final int MAX_IN_FLIGHT = 2;

    private LiveRun() {}

    /**
     * @param source the camera, made once the cluster's frame limits are known
     * @return the exit code: 0, or 1 when frames were sent but not acknowledged
     */
    static int run(String camera, String url, Function<FrameLimits, LiveSource> source, IngestOptions options,
            LiveOptions live, KafkaOptions kafka, MetricsOptions metrics, CommandSpec spec)
            throws InterruptedException {
        var feed = new LiveFeed(options.fps());
        long maxFrames = live.maxFrames();
        var duration = live.duration();
        kafka.requireIngestTopics();
        FrameLimits limits = kafka.limits();
        LiveSource camSource = source.apply(limits);
        PrintWriter err = spec.commandLine().getErr();
        Shutdown shutdown = new Shutdown();
        shutdown.exitZeroWhenStopped();
        long started = System.nanoTime();
        var registry = SightlineMetrics.create("ingest");
        try (MetricsEndpoint endpoint = metrics.serve(registry, err);
                var sink = KafkaFrameSink.open(kafka.bootstrapServers, kafka.serdes(), kafka.topics(), limits,
                        MAX_IN_FLIGHT).observedBy(IngestMetrics.sinkMeters(registry))) {
            var ingest = new LiveIngest(camSource, feed, sink, maxFrames, duration);
            IngestMetrics.bind(registry, camera, ingest);
            shutdown.onRequest(ingest::stop);
            err.printf("Publishing camera %s from %s to %s; Ctrl-C stops.%n", camera, url, kafka.topics().frames());
            err.flush();
            LiveReport report;
            try (var progress = new Progress(err, () -> progressLine(camera, ingest.report(), started))) {
                report = ingest.run();
            }
            String failure = null;
            try {
                sink.flush();
            } catch (KafkaException e) {
                failure = e.getMessage();
            }
            print(camera, url, report, sink.acknowledged(), sink.rejectedByReason(), started, options.json, kafka,
                    spec);
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

    static String progressLine(String camera, LiveReport r, long started) {
        return String.format("%s: %d published, %d skipped, %d rejected, %.1f frames/s, %s", camera, r.published(),
                r.skipped(), r.rejectedTotal(), r.published() / seconds(started),
                r.streaming() ? "streaming" : "reconnecting (" + r.reconnects() + " reconnects so far)");
    }

    /** @param published frames the cluster acknowledged */
    private static void print(String camera, String url, LiveReport report, long published,
            Map<DeadLetterReason, Integer> byReason, long started, boolean json, KafkaOptions kafka,
            CommandSpec spec) {
        long rejected = DeadLetterCounts.total(byReason);
        double seconds = seconds(started);
        var out = spec.commandLine().getOut();
        if (json) {
            var summary = JsonNodeFactory.instance.objectNode().put("camera", camera).put("url", url)
                    .put("published", published).put("skipped", report.skipped())
                    .put("skippedStale", report.skippedStale()).put("skippedOverFps", report.skippedOverFps())
                    .put("rejected", rejected).put("unsent", report.unsent());
            DeadLetterCounts.put(summary, byReason);
            summary.put("reconnects", report.reconnects())
                    .put("gapSeconds", report.gap().toMillis() / 1000.0)
                    .put("seconds", Math.round(seconds * 1000) / 1000.0)
                    .put("framesPerSecond", Math.round(published / seconds * 100) / 100.0);
            out.println(summary);
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

    static double seconds(long started) {
        return Math.max(1e-3, (System.nanoTime() - started) / 1e9);
    }
}
