package io.sightline.app;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** Users files for the HTTP endpoints' logins: the parent of the `users` subcommands. */
@Command(name = "users", mixinStandardHelpOptions = true, synopsisSubcommandLabel = "COMMAND",
        description = "Manage a users file: the logins of `dashboard --users` and `registry --users`.",
        subcommands = UsersAddCommand.class)
final class UsersCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "Missing a command: " + String.join(", ",
                spec.subcommands().keySet()));
    }
}
