package io.sightline.app;

import io.sightline.ingest.KafkaFrameSink;
import io.sightline.ingest.VideoReport;
import io.sightline.ingest.VideoSource;
import io.sightline.ingest.VideoSourceConfig;
import io.sightline.metrics.IngestMeters;
import io.sightline.metrics.MetricsEndpoint;
import io.sightline.metrics.SightlineMetrics;
import io.sightline.schemas.DeadLetterReason;
import io.sightline.schemas.FrameLimits;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
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
        new IngestMeters(registry).skippedOverFps(source.config().cameraId(), source, VideoSource::skipped);
        try (MetricsEndpoint endpoint = metrics.serve(registry, spec.commandLine().getErr());
                var sink = KafkaFrameSink.open(kafka.bootstrapServers, kafka.serdes(), kafka.topics(), limits,
                        Integer.MAX_VALUE).observedBy(KafkaFrameSink.Observer.metered(new IngestMeters(registry)))) {
            try (var progress = new Progress(spec.commandLine().getErr(), source::progressLine)) {
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

    private void print(String camera, VideoReport report, long published, Map<DeadLetterReason, Integer> byReason) {
        var out = spec.commandLine().getOut();
        out.println(options.json ? report.summaryJson(camera, file, published, byReason)
                : report.summaryLine(camera, file, kafka.topics().frames(), kafka.topics().deadLetters(), published,
                        byReason));
        out.flush();
    }
}
