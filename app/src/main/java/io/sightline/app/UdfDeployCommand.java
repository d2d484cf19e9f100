package io.sightline.app;

import io.sightline.model.FaceDetector;
import io.sightline.schemas.FrameLimits;
import io.sightline.schemas.avro.UdfDeploymentRecord;
import io.sightline.stream.UdfDeploymentTopic;
import io.sightline.udf.UdfConfig;
import io.sightline.udf.UdfDeployment;
import io.sightline.udf.Ed25519Keys;
import io.sightline.udf.UdfDeploymentException;
import io.sightline.udf.UdfInfo;
import io.sightline.udf.UdfRuntime;
import io.sightline.udf.UdfSignature;
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

    @Option(names = "--sign", paramLabel = "KEY",
            description = "Sign the deployment (module, config, name and version) with this Ed25519 private key "
                    + "(PKCS#8 PEM, from `udf keygen` or `openssl genpkey -algorithm ed25519`); processors started "
                    + "with --trusted-keys run only deployments one of their keys signed.")
    Path signingKey;

    @Option(names = "--signer", paramLabel = "NAME",
            description = "Who signs, as `udf list` shows it (default: the key file's name without .key/.pem).")
    String signer;

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
        UdfSignature signature = signingKey == null ? null
                : UdfSignature.sign(new UdfDeployment(name, label, wasm, config), signerName(),
                        Ed25519Keys.readPrivate(signingKey));
        kafka.requireReachable(List.of());
        kafka.ensureControlTopic(kafka.topics().udfs());
        int limit = FrameLimits.defaults().fromCluster(kafka.bootstrapServers, List.of(kafka.topics().udfs()))
                .maxRecordBytes();
        long size = wasm.length + config.getBytes(StandardCharsets.UTF_8).length + FrameLimits.RECORD_OVERHEAD_BYTES
                + (signature == null ? 0 : signature.signer().length() + 64);
        if (size > limit) {
            throw new UdfDeploymentException(name + " is " + wasm.length + " bytes; " + kafka.topics().udfs()
                    + " takes records up to " + limit + " bytes (max.message.bytes), so it cannot be deployed");
        }
        Instant deployedAt = Instant.now();
        var record = UdfDeploymentRecord.newBuilder().setName(name).setVersion(label).setSha256(info.sha256())
                .setModule(ByteBuffer.wrap(wasm)).setConfigJson(config).setDeployedAt(deployedAt)
                .setSignature(signature == null ? null : UdfDeploymentTopic.record(signature)).build();
        new UdfDeploymentTopic(kafka.bootstrapServers, kafka.topics().udfs(), kafka.serdes()).deploy(record, limit);
        spec.commandLine().getOut().printf("deployed %s@%s (sha256 %s, %d bytes%s) to %s at %s%n", name, label,
                info.sha256(), wasm.length, signature == null ? "" : ", signed by " + signature.signer(),
                kafka.topics().udfs(), deployedAt);
        return 0;
    }

    private String signerName() {
        if (signer != null) {
            return signer;
        }
        return signingKey.getFileName().toString().replaceFirst("\\.(key|pem)$", "");
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
