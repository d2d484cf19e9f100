package io.sightline.app;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.sightline.ingest.DeadLetterCounts;
import io.sightline.ingest.DirectorySource;
import io.sightline.ingest.DirectorySourceConfig;
import io.sightline.ingest.IngestReport;
import io.sightline.ingest.KafkaFrameSink;
import io.sightline.ingest.ReplayPacer;
import io.sightline.ingest.SourceFile;
import io.sightline.ingest.VideoReport;
import io.sightline.ingest.VideoSource;
import io.sightline.ingest.VideoSourceConfig;
import io.sightline.schemas.DeadLetterReason;
import io.sightline.schemas.FrameLimits;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.LongSupplier;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Re-publishes a folder or a video with its original capture times, at the pace they were captured. */
@Command(name = "archive", mixinStandardHelpOptions = true,
        description = "Re-publish a folder of images or a video file as Frame records with their original capture "
                + "times, spaced as they were captured (folder: EXIF or file time; video: stream timestamps), N "
                + "times faster with --speed N, or as fast as Kafka takes them with --max-speed.")
final class ReplayArchiveCommand implements Callable<Integer> {

    @Parameters(paramLabel = "PATH", description = "A folder of JPEG/PNG images (sub-folders are cameras) or a video file.")
    Path path;

    @ArgGroup(exclusive = true)
    Pace pace = new Pace();

    static final class Pace {
        @Option(names = "--speed", paramLabel = "N", defaultValue = "1",
                description = "N times the original pace (default: ${DEFAULT-VALUE}, as captured).")
        double speed = 1;

        @Option(names = "--max-speed", description = "As fast as Kafka takes them.")
        boolean maxSpeed;
    }

    @Option(names = "--camera", paramLabel = "ID",
            description = "Camera id of a folder's top-level images, or of the video (default: default, or the "
                    + "video's file name).")
    String camera;

    @Option(names = "--start-time", paramLabel = "ISO-8601",
            description = "Video only: capture time of its first moment (default: creation_time, else file time).")
    String startTime;

    @Option(names = "--json", description = "Print the summary as JSON.")
    boolean json;

    @Mixin
    KafkaOptions kafka;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        double speed = pace.maxSpeed ? 0 : pace.speed;
        if (!pace.maxSpeed && (!(speed > 0) || Double.isInfinite(speed))) {
            throw new IllegalArgumentException("--speed must be a positive number, got " + pace.speed);
        }
        boolean video = Files.isRegularFile(path);
        if (!video && !Files.isDirectory(path)) {
            throw new IllegalArgumentException(path + " is neither a folder nor a video file");
        }
        var start = IngestVideoCommand.parseStartTime(startTime);
        kafka.requireIngestTopics();
        FrameLimits limits = kafka.limits();
        long started = System.nanoTime();
        try (var sink = KafkaFrameSink.open(kafka.bootstrapServers, kafka.serdes(), kafka.topics(), limits,
                Integer.MAX_VALUE)) {
            var pacer = new ReplayPacer(sink, speed);
            long published;
            Optional<String> failure = Optional.empty();
            if (video) {
                var source = new VideoSource(VideoSourceConfig.of(path, Optional.ofNullable(camera), start, 0,
                        limits));
                VideoReport report;
                try (var progress = new Progress(spec.commandLine().getErr(), () -> progressLine(pacer.frames(),
                        source.position().toMillis(), source.length().toMillis(), started))) {
                    report = source.publish(pacer);
                }
                published = report.published();
                failure = report.failure();
            } else {
                var source = new DirectorySource(new DirectorySourceConfig(path, Optional.ofNullable(camera), limits));
                List<SourceFile> files = source.scan();
                IngestReport report;
                LongSupplier done = pacer::frames;
                try (var progress = new Progress(spec.commandLine().getErr(), () -> progressLine(done.getAsLong(),
                        done.getAsLong(), files.size(), started))) {
                    report = source.publish(pacer);
                }
                published = report.published();
            }
            sink.flush();
            published -= sink.refusedByBroker();
            print(published, sink.rejectedByReason(), speed, pacer.elapsed().toMillis() / 1000.0, failure);
            failure.ifPresent(why -> {
                spec.commandLine().getErr().println("sightline replay archive: " + why);
                spec.commandLine().getErr().flush();
            });
            return failure.isPresent() ? 1 : 0;
        }
    }

    /** @param done how far, in the unit of {@code total} (frames of a folder, milliseconds of a video) */
    private static String progressLine(long frames, long done, long total, long started) {
        double seconds = LiveRun.seconds(started);
        if (total <= 0 || done <= 0) {
            return String.format("replay: %d records", frames);
        }
        double fraction = Math.min(1, (double) done / total);
        double eta = seconds / fraction - seconds;
        return String.format("replay: %d records, %d%%, ETA %.0f s", frames, (int) (fraction * 100), eta);
    }

    /** @param seconds from the first frame sent to the last */
    private void print(long published, Map<DeadLetterReason, Integer> byReason, double speed, double seconds,
            Optional<String> failure) {
        long rejected = DeadLetterCounts.total(byReason);
        var out = spec.commandLine().getOut();
        if (json) {
            var summary = JsonNodeFactory.instance.objectNode().put("path", path.toString())
                    .put("published", published).put("rejected", rejected)
                    .put("speed", speed == 0 ? "max" : Double.toString(speed))
                    .put("seconds", Math.round(seconds * 1000) / 1000.0);
            DeadLetterCounts.put(summary, byReason);
            failure.ifPresent(f -> summary.put("failure", f));
            out.println(summary);
        } else {
            out.printf("replayed %d frames of %s to %s in %.1f s (%s); rejected %d %s to %s%n", published, path,
                    kafka.topics().frames(), seconds, speed == 0 ? "as fast as possible" : "×" + speed, rejected,
                    byReason, kafka.topics().deadLetters());
        }
        out.flush();
    }
}
