package io.sightline.app;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** Measure Sightline on labelled data: the parent of the {@code eval} subcommands. */
@Command(name = "eval", mixinStandardHelpOptions = true, subcommands = {EvalTracksCommand.class},
        description = "Measure Sightline on labelled data (detection alone: `models eval`).")
final class EvalCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "eval needs a subcommand: "
                + String.join(", ", spec.subcommands().keySet()));
    }
}
