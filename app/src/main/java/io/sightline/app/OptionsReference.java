package io.sightline.app;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The table of every option of every command in docs/options.md, made from the picocli model so it cannot drift from
 * the code: per command its options, defaults as the help shows them, environment variables
 * ({@link EnvironmentDefaults}) and descriptions. Hidden commands and options, --help and --version are left out;
 * --verbose is listed once, at the top.
 */
final class OptionsReference {

    static final String BEGIN = "<!-- options:begin -->";
    static final String END = "<!-- options:end -->";

    /** "(default: X)" in a description: X is what the help promises, clearer than the raw value (e.g. "off" for -1). */
    private static final Pattern STATED_DEFAULT = Pattern.compile(" ?\\(default: ([^()]*(?:\\([^()]*\\)[^()]*)*)\\)");

    private OptionsReference() {
    }

    /** The launcher's commands with the built-in defaults only, so the text does not depend on who generates it. */
    static CommandLine sightline() {
        return EnvironmentDefaults.install(new CommandLine(new Sightline()), Map.of());
    }

    /** {@code root} and every command below it, depth first, each once; hidden ones left out. */
    static List<CommandLine> commands(CommandLine root) {
        List<CommandLine> commands = new ArrayList<>();
        collect(root, commands);
        return commands;
    }

    private static void collect(CommandLine command, List<CommandLine> into) {
        if (command.getCommandSpec().usageMessage().hidden() || into.contains(command)) {
            return;
        }
        into.add(command);
        command.getSubcommands().values().forEach(sub -> collect(sub, into));
    }

    /** Markdown: per command with options, a bold command line and a table of them. */
    static String markdown() {
        StringBuilder out = new StringBuilder();
        for (CommandLine command : commands(sightline())) {
            List<OptionSpec> options = command.getCommandSpec().options().stream()
                    .filter(o -> !o.hidden() && !o.inherited() && !o.usageHelp() && !o.versionHelp())
                    .toList();
            if (options.isEmpty()) {
                continue;
            }
            out.append("**`").append(command.getCommandSpec().qualifiedName()).append("`**\n\n");
            out.append("| option | default | environment | description |\n|---|---|---|---|\n");
            options.forEach(option -> out.append(row(option)));
            out.append('\n');
        }
        return out.toString();
    }

    /** {@code page} with the text between the markers replaced by {@code table}; fails when a marker is missing. */
    static String replace(String page, String table) {
        int begin = page.indexOf(BEGIN);
        int end = page.indexOf(END);
        if (begin < 0 || end < begin) {
            throw new IllegalArgumentException("the options page has no " + BEGIN + " … " + END + " section");
        }
        return page.substring(0, begin + BEGIN.length()) + "\n" + table + page.substring(end);
    }

    private static String row(OptionSpec option) {
        String description = String.join(" ", option.renderedDescription());
        Matcher stated = STATED_DEFAULT.matcher(description);
        String defaultValue;
        if (stated.find()) {
            defaultValue = stated.group(1);
            description = description.substring(0, stated.start()) + description.substring(stated.end());
        } else {
            defaultValue = rawDefault(option);
        }
        String variables = String.join(", ",
                EnvironmentDefaults.variables(option).stream().map(variable -> "`" + variable + "`").toList());
        return "| " + cell(names(option)) + " | " + cell(defaultValue) + " | " + variables + " | " + cell(description)
                + " |\n";
    }

    private static String names(OptionSpec option) {
        String names = String.join(", ", option.names());
        return option.arity().max() == 0 ? "`" + names + "`" : "`" + names + " " + option.paramLabel() + "`";
    }

    private static String rawDefault(OptionSpec option) {
        if (option.arity().max() == 0) {
            return "false";
        }
        String value = option.defaultValue();
        return value == null ? "—" : value;
    }

    private static String cell(String text) {
        return text.strip().replace("|", "\\|").replace("\n", " ");
    }
}
