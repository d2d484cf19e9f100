package io.sightline.app;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Every option of every command can be set by an environment variable: option {@code --foo-bar} of {@code ingest rtsp}
 * is read from {@code SIGHTLINE_INGEST_RTSP_FOO_BAR}, else from {@code SIGHTLINE_FOO_BAR}. The command line wins over
 * the environment, the environment over the built-in default. Flags take {@code true} or {@code false}; options that
 * take several values take them comma-separated; an empty variable counts as unset. Positional parameters and
 * --help/--version are not covered.
 */
final class EnvironmentDefaults implements IDefaultValueProvider {

    static final String PREFIX = "SIGHTLINE_";

    /** How the entries of a KEY=VALUE option are split: at a comma that starts the next KEY=, so values keep theirs. */
    static final String ENTRY_SEPARATOR = ",(?=[^,=]+=)";

    private final Map<String, String> environment;

    EnvironmentDefaults(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
    }

    /**
     * Sets the provider on {@code commandLine} and its subcommands, says so at the end of each one's help, and makes a
     * bad value from the environment name its variable.
     */
    static CommandLine install(CommandLine commandLine, Map<String, String> environment) {
        EnvironmentDefaults defaults = new EnvironmentDefaults(environment);
        describeIn(commandLine);
        CommandLine.IParameterExceptionHandler usual = commandLine.getParameterExceptionHandler();
        return commandLine.setDefaultValueProvider(defaults).setParameterExceptionHandler((e, args) -> {
            Optional<Integer> blamed = defaults.blame(e);
            return blamed.isPresent() ? blamed.get() : usual.handleParseException(e, args);
        });
    }

    /** A footer line in the help of every command with options: the variables they are read from. */
    private static void describeIn(CommandLine command) {
        CommandSpec spec = command.getCommandSpec();
        boolean hasSettableOptions = spec.options().stream().anyMatch(option -> !variables(option).isEmpty());
        if (hasSettableOptions) {
            String path = commandPath(spec);
            String specific = path.isEmpty() ? "" : PREFIX + toVariable(path) + "_FOO_BAR, else ";
            List<String> footer = new ArrayList<>(List.of(spec.usageMessage().footer()));
            footer.add("Each option --foo-bar can also be set by environment variable " + specific + PREFIX
                    + "FOO_BAR (the command line wins).");
            spec.usageMessage().footer(footer.toArray(String[]::new));
        }
        command.getSubcommands().values().stream().distinct().forEach(EnvironmentDefaults::describeIn);
    }

    @Override
    public String defaultValue(ArgSpec arg) {
        return setting(arg).map(Setting::value).orElse(null);
    }

    /** The variables {@code arg} is read from, most specific first; none for positional parameters and help options. */
    static List<String> variables(ArgSpec arg) {
        if (!(arg instanceof OptionSpec option) || option.usageHelp() || option.versionHelp()) {
            return List.of();
        }
        String name = toVariable(option.longestName());
        List<String> variables = new ArrayList<>(2);
        String path = commandPath(option.command());
        if (!path.isEmpty()) {
            variables.add(PREFIX + toVariable(path) + "_" + name);
        }
        variables.add(PREFIX + name);
        return variables;
    }

    /**
     * The variable {@code arg}'s value comes from and that value, if one of its variables is set; an empty one counts as
     * unset, as Compose and shells leave variables empty rather than unset.
     */
    Optional<Setting> setting(ArgSpec arg) {
        for (String variable : variables(arg)) {
            String value = environment.get(variable);
            if (value != null && !value.isBlank()) {
                return Optional.of(new Setting(variable, value));
            }
        }
        return Optional.empty();
    }

    /** A conversion failure of a value that came from the environment: one line naming the variable, exit code 2. */
    private Optional<Integer> blame(CommandLine.ParameterException e) {
        ArgSpec arg = e.getArgSpec();
        Optional<Setting> setting = arg == null ? Optional.empty() : setting(arg);
        if (setting.isEmpty() || (e.getValue() != null && !setting.get().value().contains(e.getValue()))) {
            return Optional.empty();
        }
        CommandLine cmd = e.getCommandLine();
        cmd.getErr().println(cmd.getCommandSpec().qualifiedName() + ": environment variable " + setting.get().variable()
                + "=" + setting.get().value() + " is not a valid " + ((OptionSpec) arg).longestName() + " "
                + expected((OptionSpec) arg) + ": " + e.getMessage());
        return Optional.of(cmd.getCommandSpec().exitCodeOnInvalidInput());
    }

    /** What the option expects, as its help shows it: {@code (PORT)}, {@code (true or false)}, {@code (FILE[,FILE...])}. */
    static String expected(OptionSpec option) {
        if (option.arity().max() == 0) {
            return "(true or false)";
        }
        String label = option.paramLabel();
        return option.isMultiValue() ? "(" + label + "[," + label + "...])" : "(" + label + ")";
    }

    /** {@code sightline ingest rtsp} -> {@code ingest rtsp}; empty for the top-level command. */
    static String commandPath(CommandSpec command) {
        List<String> names = new ArrayList<>();
        for (CommandSpec c = command; c != null && c.parent() != null; c = c.parent()) {
            names.add(0, c.name());
        }
        return String.join(" ", names);
    }

    private static String toVariable(String name) {
        return name.replaceFirst("^-+", "").replaceAll("[^A-Za-z0-9]+", "_").toUpperCase(Locale.ROOT);
    }

    record Setting(String variable, String value) {
    }
}
