package io.sightline.app;

import io.sightline.ingest.KafkaIngest;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.sightline.ingest.DirectorySource;
import io.sightline.ingest.DirectorySourceConfig;
import io.sightline.ingest.IngestReport;
import io.sightline.schemas.FrameLimits;
import io.sightline.schemas.SightlineSerdes;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Publishes a folder of images as frames. */
@Command(name = "ingest", mixinStandardHelpOptions = true,
        description = "Publish the images of a folder as Frame records (sub-folders are cameras); files that are "
                + "not valid images go to the dead-letter topic.")
final class IngestCommand implements Callable<Integer> {

    @Parameters(paramLabel = "DIR", description = "Folder of JPEG/PNG images.")
    Path directory;

    @Option(names = "--camera", paramLabel = "ID", description = "Camera id of the top-level images (default: default).")
    String camera;

    @Option(names = "--json", description = "Print the report as JSON.")
    boolean json;

    @Mixin
    KafkaOptions kafka;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        kafka.requireReachable(List.of(kafka.topics().frames(), kafka.topics().deadLetters()));
        FrameLimits limits = kafka.limits();
        var source = new DirectorySource(new DirectorySourceConfig(directory, Optional.ofNullable(camera), limits));
        IngestReport report = KafkaIngest.publish(source, kafka.bootstrapServers, SightlineSerdes.forUrls(kafka.registryUrl),
                kafka.topics(), limits);
        var out = spec.commandLine().getOut();
        if (json) {
            out.println(JsonNodeFactory.instance.objectNode().put("published", report.published())
                    .put("rejected", report.rejected()).put("skipped", report.skipped()));
        } else {
            out.printf("published %d frames to %s, %d files rejected to %s, %d skipped%n", report.published(),
                    kafka.topics().frames(), report.rejected(), kafka.topics().deadLetters(), report.skipped());
        }
        out.flush();
        return 0;
    }
}
