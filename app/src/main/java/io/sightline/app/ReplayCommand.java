package io.sightline.app;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** Historical data back through the pipeline: the parent of the `replay` subcommands. */
@Command(name = "replay", mixinStandardHelpOptions = true, synopsisSubcommandLabel = "COMMAND",
        description = "Send historical data through the pipeline again.",
        subcommands = {ReplayRangeCommand.class})
final class ReplayCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "Missing a command: " + String.join(", ",
                spec.subcommands().keySet()));
    }
}
