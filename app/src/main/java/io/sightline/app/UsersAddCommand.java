package io.sightline.app;

import io.sightline.access.Role;
import io.sightline.access.Users;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Adds a user to a users file, or changes their role and password. */
@Command(name = "add", mixinStandardHelpOptions = true,
        description = {"Add a user to a users file (created readable by you only), or change their role and password. "
                + "The password is read from standard input (one line), else asked for on the terminal; the file keeps "
                + "only a salted PBKDF2 hash."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:written", "2:bad arguments or no password (nothing written)"})
final class UsersAddCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "FILE", description = "The users file.")
    Path file;

    @Parameters(index = "1", paramLabel = "NAME", description = "The user's name.")
    String name;

    @Option(names = "--role", paramLabel = "read|write", defaultValue = "read",
            description = "read: GET only (the dashboard, reading schemas); write: also register and change schemas "
                    + "(default: ${DEFAULT-VALUE}).")
    String role;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        Role parsed = Role.parse(role);
        char[] password = password();
        boolean added = Users.add(file, name, parsed, password);
        spec.commandLine().getOut().printf("%s %s (%s) in %s%n", added ? "added" : "updated", name,
                parsed.name().toLowerCase(), file);
        return 0;
    }

    private char[] password() throws IOException {
        if (System.console() != null && System.in.available() == 0) {
            char[] typed = System.console().readPassword("password for %s: ", name);
            if (typed != null && typed.length > 0) {
                return typed;
            }
        } else {
            String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            if (line != null && !line.isEmpty()) {
                return line.toCharArray();
            }
        }
        throw new IllegalArgumentException("no password given: pipe one line to standard input, e.g. "
                + "`printf '%s\\n' \"$PASSWORD\" | sightline users add " + file + " " + name + "`");
    }
}
