package io.sightline.app;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.sightline.dashboard.MetricsEndpoint;
import io.sightline.dashboard.SightlineMetrics;
import io.sightline.ingest.KafkaFrameSink;
import io.sightline.ingest.VideoReport;
import io.sightline.ingest.VideoSource;
import io.sightline.ingest.VideoSourceConfig;
import io.sightline.schemas.DeadLetterReason;
import io.sightline.schemas.FrameLimits;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Publishes the frames of a video file. */
@Command(name = "video", mixinStandardHelpOptions = true,
        description = "Decode a video file (MP4, MKV, AVI … anything FFmpeg opens) and publish its pictures as JPEG "
                + "Frame records; capture time = start time + stream timestamp. A file that cannot be opened or "
                + "breaks off goes to the dead-letter topic and the command exits with 1.")
final class IngestVideoCommand implements Callable<Integer> {

    @Parameters(paramLabel = "FILE", description = "The video file.")
    Path file;

    @Option(names = "--start-time", paramLabel = "ISO-8601",
            description = "Capture time of the video's first moment, e.g. 2026-11-30T08:00:00Z (default: the "
                    + "container's creation_time, else the file's modification time).")
    String startTime;

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
        Optional<Instant> start = parseStartTime(startTime);
        double fps = options.fps();
        var probeConfig = VideoSourceConfig.of(file, Optional.ofNullable(options.camera), start, fps,
                FrameLimits.defaults());
        kafka.requireIngestTopics();
        FrameLimits limits = kafka.limits();
        var source = new VideoSource(new VideoSourceConfig(file, probeConfig.cameraId(), start, fps, limits));
        VideoReport report;
        Map<DeadLetterReason, Integer> byReason;
        long published;
        var registry = SightlineMetrics.create("ingest");
        IngestMetrics.skippedOverFps(registry, source.config().cameraId(), source, VideoSource::skipped);
        try (MetricsEndpoint endpoint = metrics.serve(registry, spec.commandLine().getErr());
                var sink = KafkaFrameSink.open(kafka.bootstrapServers, kafka.serdes(), kafka.topics(), limits,
                        Integer.MAX_VALUE).observedBy(IngestMetrics.sinkMeters(registry))) {
            try (var progress = new Progress(spec.commandLine().getErr(), () -> progressLine(source))) {
                report = source.publish(sink);
            }
            sink.flush();
            published = report.published() - sink.refusedByBroker();
            byReason = sink.rejectedByReason();
        }
        print(source.config().cameraId(), report, published, byReason);
        report.failure().ifPresent(why -> {
            spec.commandLine().getErr().println("sightline ingest video: " + why);
            spec.commandLine().getErr().flush();
        });
        return report.failure().isPresent() ? 1 : 0;
    }

    /** Shared with `replay archive`. */
    static Optional<Instant> parseStartTime(String text) {
        if (text == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.parse(text));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("--start-time must be ISO-8601 with a zone, e.g. "
                    + "2026-11-30T08:00:00Z, got '" + text + "'");
        }
    }

    static String progressLine(VideoSource source) {
        long done = source.position().toMillis();
        long length = source.length().toMillis();
        return length > 0
                ? String.format("%s: %d frames sent, %.1f of %.1f s (%d%%)", source.config().file().getFileName(),
                        source.published(), done / 1000.0, length / 1000.0, Math.min(100, done * 100 / length))
                : String.format("%s: %d frames sent, %.1f s", source.config().file().getFileName(),
                        source.published(), done / 1000.0);
    }

    private void print(String camera, VideoReport report, long published, Map<DeadLetterReason, Integer> byReason) {
        long rejected = DeadLetterCounts.total(byReason);
        var out = spec.commandLine().getOut();
        if (options.json) {
            var json = JsonNodeFactory.instance.objectNode().put("camera", camera).put("file", file.toString())
                    .put("decoded", report.decoded()).put("published", published).put("skipped", report.skipped())
                    .put("rejected", rejected);
            DeadLetterCounts.put(json, byReason);
            report.failure().ifPresent(why -> json.put("failure", why));
            out.println(json);
        } else {
            out.printf("camera %s: published %d frames of %s to %s; %d decoded, %d skipped by --fps; rejected %d %s "
                    + "to %s%n", camera, published, file, kafka.topics().frames(), report.decoded(), report.skipped(),
                    rejected, byReason, kafka.topics().deadLetters());
        }
        out.flush();
    }
}
