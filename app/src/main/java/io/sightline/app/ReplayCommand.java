package io.sightline.app;

import picocli.CommandLine.Command;

/** The `replay` family: historical data back through the pipeline. */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = "Send historical data through the pipeline again.",
        subcommands = {ReplayArchiveCommand.class, ReplayRangeCommand.class})
final class ReplayCommand {
}
