package io.sightline.app;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.CompositeArchRule;
import java.util.List;
import picocli.CommandLine.Command;

/**
 * The module rules of docs/architecture.md, checked on the compiled classes of every module (the app sees them all).
 * The poms already keep forbidden libraries off a module's classpath; these rules also catch reaching into internals.
 */
@AnalyzeClasses(packages = "io.sightline", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    private static final List<String> MODULES = List.of("schemas", "model", "udf", "stream", "ingest", "readers",
            "metrics", "dashboard", "cluster", "edge", "bench", "offline", "tracking", "access");

    /** Internals may change without notice; only a module's root package is its contract. */
    @ArchTest
    static final ArchRule modulesUseEachOthersPublicApiOnly = CompositeArchRule.of(MODULES.stream()
            .map(module -> noClasses().that().resideOutsideOfPackage("io.sightline." + module + "..")
                    .should().dependOnClassesThat().resideInAPackage("io.sightline." + module + ".internal..")
                    .as("only " + module + " itself uses io.sightline." + module + ".internal"))
            .toList());

    /** Inference runs at the edge and in tools without a broker or a Wasm engine. */
    @ArchTest
    static final ArchRule modelStoreKnowsNoKafkaNorWasm = noClasses().that().resideInAPackage("io.sightline.model..")
            .should().dependOnClassesThat().resideInAnyPackage("org.apache.kafka..", "com.dylibso..")
            .because("the model store is reused by `detect` and the bench, which run without a broker");

    /** UDFs run the same in the stream and in `detect`; transport belongs to the stream processor. */
    @ArchTest
    static final ArchRule udfHostKnowsNoKafka = noClasses().that().resideInAPackage("io.sightline.udf..")
            .should().dependOnClassesThat().resideInAPackage("org.apache.kafka..")
            .because("`detect` runs the UDF chain without a broker");

    /** Producers and the processor scale and deploy independently. */
    @ArchTest
    static final ArchRule ingestAndProcessorAreIndependent = CompositeArchRule.of(
            noClasses().that().resideInAPackage("io.sightline.stream..")
                    .should().dependOnClassesThat().resideInAPackage("io.sightline.ingest.."))
            .and(noClasses().that().resideInAPackage("io.sightline.ingest..")
                    .should().dependOnClassesThat().resideInAPackage("io.sightline.stream.."));

    /** Producing frames is ingest's job; the launcher only parses options and wires sources, sinks and clusters. */
    @ArchTest
    static final ArchRule launcherProducesNothingItself = noClasses().that().resideInAPackage("io.sightline.app..")
            .should().dependOnClassesThat().resideInAPackage("org.apache.kafka.clients.producer..")
            .because("every source (dir, mjpeg, and those to come) shares ingest's producer settings and dead letters");

    /** Readers and the dashboard consume the output topics like any other team would: only the records' contract. */
    @ArchTest
    static final ArchRule readersAndDashboardAreDownstreamConsumers = noClasses()
            .that().resideInAnyPackage("io.sightline.readers..", "io.sightline.dashboard..")
            .should().dependOnClassesThat().resideInAnyPackage("io.sightline.stream..", "io.sightline.ingest..",
                    "io.sightline.model..", "io.sightline.udf..")
            .because("dashboards scale and deploy apart from the pipeline and must keep working across its upgrades");

    /** Tracking is plain Java: the processor, `detect`, `eval tracks` and the bench run the same tracker. */
    @ArchTest
    static final ArchRule trackingIsPlainJava = noClasses().that().resideInAPackage("io.sightline.tracking..")
            .should().dependOnClassesThat().resideInAnyPackage("io.sightline.stream..", "io.sightline.schemas..",
                    "io.sightline.model..", "io.sightline.udf..", "org.apache.kafka..", "com.dylibso..")
            .because("a track is a pure function of the frames' faces and times, whatever runs it");

    /** Who may use an HTTP endpoint is decided the same way for the registry and the dashboard, by plain JDK code. */
    @ArchTest
    static final ArchRule accessIsPlainJava = noClasses().that().resideInAPackage("io.sightline.access..")
            .should().dependOnClassesThat().resideInAnyPackage("io.sightline.schemas..", "io.sightline.dashboard..",
                    "org.apache.kafka..", "io.javalin..", "org.eclipse.jetty..")
            .because("the registry (JDK HTTP server) and the dashboard (Javalin) share one users file format and one "
                    + "check, so neither server's library may leak into it");

    /** The launcher sits on top; nothing below may call up into it. */
    @ArchTest
    static final ArchRule nothingDependsOnTheLauncher = noClasses().that().resideOutsideOfPackage("io.sightline.app..")
            .should().dependOnClassesThat().resideInAPackage("io.sightline.app..");

    /**
     * {@code app} only wires: picocli commands, their option mixins and the launcher's own parts (the entry point,
     * environment defaults, the options reference, shutdown, progress lines, the live-camera run shared by the ingest
     * commands). Anything with logic of its own lives in the module named after what it is.
     */
    @ArchTest
    static final ArchRule appHoldsCommandsOptionsAndTheLauncherOnly = classes()
            .that().resideInAPackage("io.sightline.app").and().areTopLevelClasses()
            .should().beAnnotatedWith(Command.class)
            .orShould().haveSimpleNameEndingWith("Options")
            .orShould().haveNameMatching(
                    "io\\.sightline\\.app\\.(Sightline|EnvironmentDefaults|OptionsReference|Shutdown|Progress|LiveRun)")
            .because("the README and docs/architecture.md promise that app only wires");

    /** Every component's meters are defined in one place, which knows the records and nothing of the components. */
    @ArchTest
    static final ArchRule metricsKnowOnlyTheRecords = noClasses().that().resideInAPackage("io.sightline.metrics..")
            .should().dependOnClassesThat().resideInAnyPackage("io.sightline.stream..", "io.sightline.ingest..",
                    "io.sightline.udf..", "io.sightline.model..", "io.sightline.dashboard..")
            .because("the dashboard, ingest and the processor all use it, and must not pull each other in");
}
