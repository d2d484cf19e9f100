package io.sightline.app;

import io.sightline.ingest.KafkaFrameSink;
import io.sightline.ingest.LiveFeed;
import io.sightline.ingest.LiveIngest;
import io.sightline.ingest.LiveReport;
import io.sightline.ingest.LiveSource;
import io.sightline.metrics.IngestMeters;
import io.sightline.metrics.MetricsEndpoint;
import io.sightline.metrics.SightlineMetrics;
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
                        MAX_IN_FLIGHT).observedBy(KafkaFrameSink.Observer.metered(new IngestMeters(registry)))) {
            var ingest = new LiveIngest(camSource, feed, sink, maxFrames, duration);
            ingest.bindMeters(new IngestMeters(registry), camera);
            shutdown.onRequest(ingest::stop);
            err.printf("Publishing camera %s from %s to %s; Ctrl-C stops.%n", camera, url, kafka.topics().frames());
            err.flush();
            LiveReport report;
            try (var progress = new Progress(err, () -> ingest.report().progressLine(camera, seconds(started)))) {
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

    /** @param published frames the cluster acknowledged */
    private static void print(String camera, String url, LiveReport report, long published,
            Map<DeadLetterReason, Integer> byReason, long started, boolean json, KafkaOptions kafka,
            CommandSpec spec) {
        var out = spec.commandLine().getOut();
        out.println(json ? report.summaryJson(camera, url, published, byReason, seconds(started))
                : report.summaryLine(camera, kafka.topics().frames(), kafka.topics().deadLetters(), published, byReason,
                        seconds(started)));
        out.flush();
    }

    static double seconds(long started) {
        return Math.max(1e-3, (System.nanoTime() - started) / 1e9);
    }
}
