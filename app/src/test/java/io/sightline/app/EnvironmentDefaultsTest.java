package io.sightline.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

class EnvironmentDefaultsTest {

    @Command(name = "tool", subcommands = Ingest.class)
    static final class Tool implements Runnable {
        @Option(names = "--verbose")
        boolean verbose;

        @Override
        public void run() {
        }
    }

    @Command(name = "ingest", subcommands = Rtsp.class)
    static final class Ingest implements Runnable {
        @Override
        public void run() {
        }
    }

    @Command(name = "rtsp", mixinStandardHelpOptions = true)
    static final class Rtsp implements Runnable {
        @Option(names = "--frame-rate", paramLabel = "FPS", defaultValue = "5")
        int frameRate;

        @Option(names = "--camera", paramLabel = "ID", defaultValue = "camera-1")
        String camera;

        @Option(names = "--exactly-once")
        boolean exactlyOnce;

        @Option(names = "--images", paramLabel = "FILE", split = ",")
        List<Path> images;

        @Option(names = {"-D", "--kafka"}, paramLabel = "KEY=VALUE", split = EnvironmentDefaults.ENTRY_SEPARATOR,
                splitSynopsisLabel = ",")
        Map<String, String> kafka = new LinkedHashMap<>();

        @Parameters(paramLabel = "URL", defaultValue = "rtsp://default")
        String url;

        @Override
        public void run() {
        }
    }

    private final StringWriter err = new StringWriter();

    private CommandLine tool(Map<String, String> environment) {
        CommandLine commandLine = new CommandLine(new Tool()).setErr(new PrintWriter(err, true));
        return EnvironmentDefaults.install(commandLine, environment);
    }

    private Rtsp parse(Map<String, String> environment, String... args) {
        CommandLine tool = tool(environment);
        tool.parseArgs(args);
        return (Rtsp) tool.getSubcommands().get("ingest").getSubcommands().get("rtsp").getCommand();
    }

    private static OptionSpec option(CommandLine tool, String path, String name) {
        CommandLine command = tool;
        for (String part : path.split(" ")) {
            command = command.getSubcommands().get(part);
        }
        return command.getCommandSpec().findOption(name);
    }

    @Test
    void namesTheVariablesAfterTheCommandPathThenTheOptionAlone() {
        CommandLine tool = tool(Map.of());

        assertThat(EnvironmentDefaults.variables(option(tool, "ingest rtsp", "--frame-rate")))
                .containsExactly("SIGHTLINE_INGEST_RTSP_FRAME_RATE", "SIGHTLINE_FRAME_RATE");
        assertThat(EnvironmentDefaults.variables(option(tool, "ingest rtsp", "-D")))
                .containsExactly("SIGHTLINE_INGEST_RTSP_KAFKA", "SIGHTLINE_KAFKA");
        assertThat(EnvironmentDefaults.variables(tool.getCommandSpec().findOption("--verbose")))
                .containsExactly("SIGHTLINE_VERBOSE");
        assertThat(EnvironmentDefaults.variables(option(tool, "ingest rtsp", "--help"))).isEmpty();
        assertThat(EnvironmentDefaults.variables(
                tool.getSubcommands().get("ingest").getSubcommands().get("rtsp").getCommandSpec().positionalParameters().get(0)))
                .isEmpty();
    }

    @Test
    void helpOfEachCommandNamesItsVariables() {
        CommandLine tool = tool(Map.of());

        assertThat(oneLine(tool.getSubcommands().get("ingest").getSubcommands().get("rtsp").getUsageMessage()))
                .contains("Each option --foo-bar can also be set by environment variable SIGHTLINE_INGEST_RTSP_FOO_BAR, "
                        + "else SIGHTLINE_FOO_BAR (the command line wins).");
        assertThat(oneLine(tool.getUsageMessage())).contains("environment variable SIGHTLINE_FOO_BAR (the command line wins).");
        assertThat(tool.getSubcommands().get("ingest").getUsageMessage()).doesNotContain("environment variable");
    }

    private static String oneLine(String text) {
        return text.replaceAll("\\s+", " ");
    }

    @Test
    void commandLineWinsOverTheCommandsVariableWhichWinsOverTheGenericOne() {
        Map<String, String> both = Map.of("SIGHTLINE_INGEST_RTSP_FRAME_RATE", "7", "SIGHTLINE_FRAME_RATE", "9");

        assertThat(parse(Map.of(), "ingest", "rtsp").frameRate).isEqualTo(5);
        assertThat(parse(Map.of("SIGHTLINE_FRAME_RATE", "9"), "ingest", "rtsp").frameRate).isEqualTo(9);
        assertThat(parse(both, "ingest", "rtsp").frameRate).isEqualTo(7);
        assertThat(parse(both, "ingest", "rtsp", "--frame-rate", "3").frameRate).isEqualTo(3);
    }

    @Test
    void emptyVariableCountsAsUnset() {
        assertThat(parse(Map.of("SIGHTLINE_INGEST_RTSP_FRAME_RATE", " ", "SIGHTLINE_FRAME_RATE", "9"), "ingest", "rtsp")
                .frameRate).isEqualTo(9);
        assertThat(parse(Map.of("SIGHTLINE_CAMERA", ""), "ingest", "rtsp").camera).isEqualTo("camera-1");
    }

    @Test
    void variableOfAnotherCommandIsNotRead() {
        assertThat(parse(Map.of("SIGHTLINE_INGEST_MJPEG_CAMERA", "door"), "ingest", "rtsp").camera)
                .isEqualTo("camera-1");
        assertThat(parse(Map.of("SIGHTLINE_INGEST_RTSP_CAMERA", "door"), "ingest", "rtsp").camera).isEqualTo("door");
    }

    @Test
    void positionalParametersAreNotReadFromTheEnvironment() {
        assertThat(parse(Map.of("SIGHTLINE_INGEST_RTSP_URL", "rtsp://env", "SIGHTLINE_URL", "rtsp://env"),
                "ingest", "rtsp").url).isEqualTo("rtsp://default");
    }

    @Test
    void flagsTakeTrueOrFalse() {
        assertThat(parse(Map.of("SIGHTLINE_EXACTLY_ONCE", "true"), "ingest", "rtsp").exactlyOnce).isTrue();
        assertThat(parse(Map.of("SIGHTLINE_EXACTLY_ONCE", "FALSE"), "ingest", "rtsp").exactlyOnce).isFalse();
        assertThat(parse(Map.of("SIGHTLINE_EXACTLY_ONCE", "false"), "ingest", "rtsp", "--exactly-once").exactlyOnce)
                .isTrue();
        assertThat(parse(Map.of("SIGHTLINE_VERBOSE", "true"), "ingest", "rtsp")).isNotNull();
        CommandLine tool = tool(Map.of("SIGHTLINE_VERBOSE", "true"));
        tool.parseArgs("ingest", "rtsp");
        assertThat(((Tool) tool.getCommand()).verbose).isTrue();
    }

    @Test
    void severalValuesAreCommaSeparatedAndKeyValueEntriesKeepCommasInTheirValues() {
        Rtsp rtsp = parse(Map.of("SIGHTLINE_IMAGES", "a.jpg,frames/",
                "SIGHTLINE_KAFKA", "bootstrap.servers=a:9092,b:9092,acks=all"), "ingest", "rtsp");

        assertThat(rtsp.images).containsExactly(Path.of("a.jpg"), Path.of("frames/"));
        assertThat(rtsp.kafka).containsExactly(Map.entry("bootstrap.servers", "a:9092,b:9092"), Map.entry("acks", "all"));
    }

    @Test
    void severalValuesOnTheCommandLineReplaceThoseOfTheEnvironment() {
        Rtsp rtsp = parse(Map.of("SIGHTLINE_IMAGES", "a.jpg,b.jpg", "SIGHTLINE_KAFKA", "acks=all,linger.ms=5"),
                "ingest", "rtsp", "--images", "c.jpg", "-D", "acks=1");

        assertThat(rtsp.images).containsExactly(Path.of("c.jpg"));
        assertThat(rtsp.kafka).containsExactly(Map.entry("acks", "1"));
    }

    @Test
    void badValueFromTheEnvironmentStopsTheStartNamingTheVariableAndWhatIsExpected() {
        int exit = tool(Map.of("SIGHTLINE_INGEST_RTSP_FRAME_RATE", "fast")).execute("ingest", "rtsp");

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).startsWith("tool ingest rtsp: environment variable SIGHTLINE_INGEST_RTSP_FRAME_RATE=fast"
                + " is not a valid --frame-rate (FPS): ").contains("'fast' is not an int");
    }

    @Test
    void badFlagValueFromTheEnvironmentSaysTrueOrFalse() {
        int exit = tool(Map.of("SIGHTLINE_EXACTLY_ONCE", "yes")).execute("ingest", "rtsp");

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).startsWith("tool ingest rtsp: environment variable SIGHTLINE_EXACTLY_ONCE=yes"
                + " is not a valid --exactly-once (true or false): ");
    }

    @Test
    void badValueOnTheCommandLineIsReportedAsUsual() {
        int exit = tool(Map.of()).execute("ingest", "rtsp", "--frame-rate", "fast");

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).startsWith("Invalid value for option '--frame-rate': 'fast' is not an int")
                .doesNotContain("environment variable SIGHTLINE_INGEST_RTSP_FRAME_RATE=");
    }

    @Test
    void sightlineKeepsTheVariableNamesItHadAndGivesEveryOptionItsOwn() {
        Map<String, String> environment = new HashMap<>();
        environment.put("SIGHTLINE_DASHBOARD_PORT", "9999");
        environment.put("SIGHTLINE_DASHBOARD_BIND", "0.0.0.0");
        environment.put("SIGHTLINE_DASHBOARD_ADVERTISED_HOST", "dash-1");
        environment.put("SIGHTLINE_METRICS_PORT", "9400");
        environment.put("SIGHTLINE_BOOTSTRAP_SERVERS", "kafka:9092"); // required options can come from the environment
        environment.put("SIGHTLINE_DASHBOARD_REGISTRY_URL", "http://registry:8081");
        CommandLine sightline = EnvironmentDefaults.install(new CommandLine(new Sightline()), environment);

        sightline.parseArgs("dashboard");
        DashboardCommand dashboard = sightline.getSubcommands().get("dashboard").getCommand();
        assertThat(dashboard.port).isEqualTo(9999);
        assertThat(dashboard.bind).isEqualTo("0.0.0.0");
        assertThat(dashboard.advertisedHost).isEqualTo("dash-1");
        assertThat(dashboard.kafka.bootstrapServers).isEqualTo("kafka:9092");
        assertThat(dashboard.kafka.registryUrl).isEqualTo("http://registry:8081");
        assertThat(EnvironmentDefaults.variables(option(sightline, "process", "--metrics-port")))
                .containsExactly("SIGHTLINE_PROCESS_METRICS_PORT", "SIGHTLINE_METRICS_PORT");
        assertThat(EnvironmentDefaults.variables(option(sightline, "demo", "--assets")))
                .containsExactly("SIGHTLINE_DEMO_ASSETS", "SIGHTLINE_ASSETS");

        Map<String, String> owners = new HashMap<>();
        collectCommandVariables(sightline, owners);
        assertThat(owners).hasSizeGreaterThan(150);
    }

    /** Fails when two options share their command-specific variable, e.g. `bench --udf-x` and `bench udf --x`. */
    private static void collectCommandVariables(CommandLine command, Map<String, String> owners) {
        for (OptionSpec option : command.getCommandSpec().options()) {
            List<String> variables = EnvironmentDefaults.variables(option);
            if (variables.size() > 1) {
                String owner = command.getCommandSpec().qualifiedName() + " " + option.longestName();
                assertThat(owners.put(variables.get(0), owner)).as(variables.get(0) + " of " + owner).isNull();
            }
        }
        command.getSubcommands().values().stream().distinct().forEach(sub -> collectCommandVariables(sub, owners));
    }
}
