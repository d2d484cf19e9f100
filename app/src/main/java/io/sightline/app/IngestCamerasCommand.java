package io.sightline.app;

import io.sightline.ingest.CameraFleet;
import io.sightline.ingest.CameraList;
import io.sightline.ingest.CameraResult;
import io.sightline.ingest.CameraSpec;
import io.sightline.ingest.KafkaFrameSink;
import io.sightline.metrics.IngestMeters;
import io.sightline.metrics.MetricsEndpoint;
import io.sightline.metrics.SightlineMetrics;
import io.sightline.schemas.DeadLetterReason;
import io.sightline.schemas.FrameLimits;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Publishes many cameras from one YAML list, one thread each. */
@Command(name = "cameras", mixinStandardHelpOptions = true,
        description = {"Publish every enabled camera of a YAML list at once, one thread per camera: RTSP and MJPEG "
                + "cameras stream until Ctrl-C or --duration, folders and videos end by themselves. A camera that "
                + "fails or cannot be reached never stops the others; the summary has a line per camera.",
                "cameras:", "  - {id: door, source: rtsp://10.0.0.5/stream1, fps: 5, pipeline: faces}",
                "  - {id: yard, source: http://10.0.0.6:81/stream, enabled: false}",
                "  - {id: archive, source: recordings/2026-11-30.mp4}"})
final class IngestCamerasCommand implements Callable<Integer> {

    @Parameters(paramLabel = "FILE.yaml", description = "The camera list.")
    Path file;

    @Option(names = "--duration", paramLabel = "SECONDS", description = "Stop the live cameras after this many seconds.")
    Double durationSeconds;

    @Option(names = "--json", description = "Print the summary as JSON.")
    boolean json;

    @Mixin
    KafkaOptions kafka;

    @Mixin
    MetricsOptions metrics;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        var duration = LiveOptions.duration(durationSeconds);
        List<CameraSpec> cameras = CameraList.load(file);
        kafka.requireIngestTopics();
        FrameLimits frameLimits = kafka.limits();
        long live = cameras.stream().filter(c -> c.enabled() && c.kind().live()).count();
        var fleet = new CameraFleet(cameras);
        PrintWriter err = spec.commandLine().getErr();
        Shutdown shutdown = new Shutdown();
        shutdown.exitZeroWhenStopped();
        var registry = SightlineMetrics.create("ingest");
        for (CameraSpec camera : cameras) {
            if (camera.enabled()) {
                new IngestMeters(registry).reconnects(camera.id(), fleet, f -> reconnectsOf(f, camera.id()));
            }
        }
        try (MetricsEndpoint endpoint = metrics.serve(registry, err);
                var sink = KafkaFrameSink.open(kafka.bootstrapServers, kafka.serdes(), kafka.topics(), frameLimits,
                        (int) Math.max(1, live) * LiveRun.MAX_IN_FLIGHT + 8)
                        .observedBy(KafkaFrameSink.Observer.metered(new IngestMeters(registry)))) {
            shutdown.onRequest(fleet::stop);
            err.printf("Publishing %d cameras (%d live) from %s to %s; Ctrl-C stops.%n",
                    cameras.stream().filter(CameraSpec::enabled).count(), live, file, kafka.topics().frames());
            err.flush();
            List<CameraResult> results;
            try (var progress = new Progress(err, () -> CameraResult.progressLine(fleet.results()))) {
                results = fleet.run(sink, frameLimits, duration);
            }
            sink.flush();
            print(results, sink.rejectedByReason());
            return results.stream().anyMatch(r -> r.failure().isPresent()) ? 1 : 0;
        } finally {
            shutdown.request();
            shutdown.finished();
        }
    }

    private static double reconnectsOf(CameraFleet fleet, String camera) {
        return fleet.results().stream().filter(r -> r.camera().id().equals(camera))
                .mapToLong(CameraResult::reconnects).sum();
    }

    private void print(List<CameraResult> results, Map<DeadLetterReason, Integer> byReason) {
        var out = spec.commandLine().getOut();
        if (json) {
            out.println(CameraResult.summaryJson(results, byReason));
        } else {
            results.forEach(result -> out.println(result.line()));
            out.printf("dead letters to %s: %s%n", kafka.topics().deadLetters(), byReason);
        }
        out.flush();
    }
}
