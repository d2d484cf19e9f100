package io.sightline.app;

import io.sightline.cluster.BrokerStartupException;
import io.sightline.model.ModelStoreException;
import io.sightline.schemas.RegistryStartupException;
import io.sightline.schemas.SchemaRegistryException;
import io.sightline.udf.UdfDeploymentException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** The `sightline` launcher. */
@Command(name = "sightline", mixinStandardHelpOptions = true, versionProvider = Sightline.Version.class,
        description = "Face detection on camera frames in Kafka: Wasm transforms calling native TensorFlow.",
        subcommands = {DemoCommand.class, DetectCommand.class, BenchCommand.class, BrokerCommand.class,
                RegistryCommand.class, ProcessCommand.class, DashboardCommand.class, EdgeCommand.class,
                IngestCommand.class, ReplayCommand.class, UdfCommand.class, ModelsCommand.class, EvalCommand.class, UsersCommand.class, CommandLine.HelpCommand.class})
public final class Sightline {

    /** Accepted by every command; the launcher also stops filtering TensorFlow's native log lines when it is given. */
    @Option(names = "--verbose", scope = ScopeType.INHERIT,
            description = "Show log lines of Kafka, TensorFlow and Sightline at INFO (default: warnings only).")
    void verbose(boolean verbose) {
        if (verbose) {
            // Read by SimpleLogger when the first logger is made, which is after the command line is parsed.
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "info");
        }
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        return EnvironmentDefaults.install(new CommandLine(new Sightline()), System.getenv())
                .setExecutionExceptionHandler(Sightline::reportFailure);
    }

    /**
     * Configuration and deployment mistakes, and a registry refusing the credentials given, are the user's to fix: one
     * line saying what, no stack trace.
     */
    private static int reportFailure(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
        if (e instanceof IllegalArgumentException || e instanceof IllegalStateException
                || e instanceof ModelStoreException || e instanceof BrokerStartupException
                || e instanceof RegistryStartupException || e instanceof UdfDeploymentException) {
            cmd.getErr().println(cmd.getCommandSpec().qualifiedName() + ": " + e.getMessage());
            return 2;
        }
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof SchemaRegistryException refused && refused.isRefusal()) {
                cmd.getErr().println(cmd.getCommandSpec().qualifiedName() + ": " + refused.whatToFix());
                return 2;
            }
        }
        cmd.getErr().println(cmd.getCommandSpec().qualifiedName() + " failed:");
        e.printStackTrace(cmd.getErr());
        return 1;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = Sightline.class.getPackage().getImplementationVersion();
            return new String[] {"sightline " + (version == null ? "dev" : version)};
        }
    }
}
