package io.sightline.app;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/**
 * The `ingest` family: one subcommand per kind of source. `ingest DIR …` without a subcommand is `ingest dir DIR …`,
 * as it was before there were other sources.
 */
@Command(name = "ingest", mixinStandardHelpOptions = true,
        customSynopsis = {"sightline ingest (dir|video|mjpeg|rtsp|mqtt|cameras) [OPTIONS]", "sightline ingest DIR [OPTIONS]  (same as dir)"},
        description = "Publish frames from a source to the frames topic; inputs that cannot become frames go to the "
                + "dead-letter topic.",
        subcommands = {IngestDirCommand.class, IngestVideoCommand.class, IngestMjpegCommand.class,
                IngestRtspCommand.class, IngestMqttCommand.class,
                IngestCamerasCommand.class})
final class IngestCommand implements Callable<Integer> {

    /** Everything after `ingest` when no subcommand was named: the arguments of `dir`. */
    @Unmatched
    List<String> dirArguments = new ArrayList<>();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (dirArguments.isEmpty()) {
            spec.commandLine().usage(spec.commandLine().getErr());
            return 2;
        }
        return spec.commandLine().getSubcommands().get("dir").execute(dirArguments.toArray(String[]::new));
    }
}
