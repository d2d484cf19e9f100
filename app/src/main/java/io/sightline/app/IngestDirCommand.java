package io.sightline.app;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.sightline.ingest.DeadLetterCounts;
import io.sightline.ingest.DirectorySource;
import io.sightline.ingest.DirectorySourceConfig;
import io.sightline.ingest.IngestReport;
import io.sightline.ingest.KafkaFrameSink;
import io.sightline.ingest.PacedSink;
import io.sightline.metrics.IngestMeters;
import io.sightline.metrics.MetricsEndpoint;
import io.sightline.metrics.SightlineMetrics;
import io.sightline.schemas.DeadLetterReason;
import io.sightline.schemas.FrameLimits;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Publishes a folder of images as frames. */
@Command(name = "dir", mixinStandardHelpOptions = true,
        description = "Publish the images of a folder as Frame records (sub-folders are cameras); files that are "
                + "not valid images go to the dead-letter topic.")
final class IngestDirCommand implements Callable<Integer> {

    @Parameters(paramLabel = "DIR", description = "Folder of JPEG/PNG images.")
    Path directory;

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
        double fps = options.fps();
        kafka.requireIngestTopics();
        FrameLimits limits = kafka.limits();
        var source = new DirectorySource(new DirectorySourceConfig(directory, Optional.ofNullable(options.camera),
                limits));
        IngestReport report;
        Map<DeadLetterReason, Integer> byReason;
        var registry = SightlineMetrics.create("ingest");
        try (MetricsEndpoint endpoint = metrics.serve(registry, spec.commandLine().getErr());
                var sink = KafkaFrameSink.open(kafka.bootstrapServers, kafka.serdes(),
                        kafka.topics(), limits, Integer.MAX_VALUE).observedBy(KafkaFrameSink.Observer.metered(new IngestMeters(registry)))) {
            var paced = new PacedSink(sink, fps);
            try (var progress = new Progress(spec.commandLine().getErr(),
                    () -> "ingest " + directory + ": " + paced.frames() + " frames sent")) {
                report = source.publish(paced);
            }
            sink.flush();
            int refused = sink.refusedByBroker();
            report = new IngestReport(report.published() - refused, report.rejected() + refused, report.skipped());
            byReason = sink.rejectedByReason();
        }
        var out = spec.commandLine().getOut();
        if (options.json) {
            var json = JsonNodeFactory.instance.objectNode().put("published", report.published())
                    .put("skipped", report.skipped()).put("rejected", report.rejected());
            DeadLetterCounts.put(json, byReason);
            out.println(json);
        } else {
            out.printf("published %d frames to %s, %d files rejected to %s %s, %d skipped%n", report.published(),
                    kafka.topics().frames(), report.rejected(), kafka.topics().deadLetters(), byReason,
                    report.skipped());
        }
        out.flush();
        return 0;
    }
}
