package io.sightline.app;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** Work with Wasm UDFs: the parent of the `udf` subcommands. */
@Command(name = "udf", mixinStandardHelpOptions = true, synopsisSubcommandLabel = "COMMAND",
        description = "Work with Wasm UDFs (the transforms the stream runs).",
        subcommands = {UdfTestCommand.class, UdfDeployCommand.class, UdfListCommand.class,
                UdfRemoveCommand.class, UdfKeygenCommand.class})
final class UdfCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "Missing a command: " + String.join(", ",
                spec.subcommands().keySet()));
    }
}
