package io.sightline.app;

import io.sightline.model.FaceDetector;
import io.sightline.schemas.FrameLimits;
import io.sightline.schemas.avro.UdfDeploymentRecord;
import io.sightline.stream.UdfDeploymentTopic;
import io.sightline.udf.UdfConfig;
import io.sightline.udf.UdfDeployment;
import io.sightline.udf.UdfDeploymentException;
import io.sightline.udf.UdfInfo;
import io.sightline.udf.UdfRuntime;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Deploys a module under a UDF name: every processor running that name switches to it between two records. */
@Command(name = "deploy", mixinStandardHelpOptions = true,
        description = "Deploy a WebAssembly module as UDF NAME: checked here first, then written to the udfs topic; "
                + "every processor running NAME switches to it between two records, without a restart.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:deployed", "2:bad arguments, cluster unreachable, or the module was refused (one line says why); nothing written"})
final class UdfDeployCommand implements Callable<Integer> {

    @Mixin
    KafkaOptions kafka;

    @Parameters(index = "0", paramLabel = "NAME", description = "The UDF's name, e.g. face-annotate.")
    String name;

    @Parameters(index = "1", paramLabel = "FILE.wasm", description = "The WebAssembly module.")
    Path module;

    @Option(names = "--config", paramLabel = "JSON", defaultValue = UdfDeployment.NO_CONFIG,
            description = "The UDF's config, handed to it as is (default: ${DEFAULT-VALUE}).")
    String config;

    @Option(names = "--version", paramLabel = "V",
            description = "Version label carried on its events (default: the first 12 hex digits of the sha256).")
    String version;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (!Files.isRegularFile(module)) {
            throw new IllegalArgumentException("module " + module + " does not exist");
        }
        byte[] wasm = Files.readAllBytes(module);
        UdfInfo info = check(new UdfDeployment(name, version == null ? "unversioned" : version, wasm, config));
        String label = version == null ? info.sha256().substring(0, 12) : version;
        kafka.requireReachable(List.of());
        kafka.ensureControlTopic(kafka.topics().udfs());
        int limit = FrameLimits.defaults().fromCluster(kafka.bootstrapServers, List.of(kafka.topics().udfs()))
                .maxRecordBytes();
        long size = wasm.length + config.getBytes(StandardCharsets.UTF_8).length + FrameLimits.RECORD_OVERHEAD_BYTES;
        if (size > limit) {
            throw new UdfDeploymentException(name + " is " + wasm.length + " bytes; " + kafka.topics().udfs()
                    + " takes records up to " + limit + " bytes (max.message.bytes), so it cannot be deployed");
        }
        Instant deployedAt = Instant.now();
        var record = UdfDeploymentRecord.newBuilder().setName(name).setVersion(label).setSha256(info.sha256())
                .setModule(ByteBuffer.wrap(wasm)).setConfigJson(config).setDeployedAt(deployedAt).build();
        new UdfDeploymentTopic(kafka.bootstrapServers, kafka.topics().udfs(), kafka.serdes()).deploy(record, limit);
        spec.commandLine().getOut().printf("deployed %s@%s (sha256 %s, %d bytes) to %s at %s%n", name, label,
                info.sha256(), wasm.length, kafka.topics().udfs(), deployedAt);
        return 0;
    }

    /**
     * Loads the module exactly as a processor will (parse, imports, compile, start and init inside the budget),
     * without a model: a refusal here means nothing is written.
     */
    private static UdfInfo check(UdfDeployment deployment) {
        try (UdfRuntime runtime = UdfRuntime.load(deployment, FaceDetector.none(), UdfConfig.defaults())) {
            return runtime.info();
        }
    }
}
