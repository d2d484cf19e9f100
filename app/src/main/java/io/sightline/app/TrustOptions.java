package io.sightline.app;

import io.micrometer.core.instrument.MeterRegistry;
import io.sightline.metrics.ProcessorMeters;
import io.sightline.stream.UdfDeploymentWatcher;
import io.sightline.udf.TrustedKeys;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** The public keys whose signatures a processor requires on UDF deployments. */
final class TrustOptions {

    @Option(names = "--trusted-keys", paramLabel = "FILE|DIR", split = ",",
            description = "Run only UDF deployments signed (`udf deploy --sign`) by one of these Ed25519 public keys: "
                    + "PEM files, or folders of *.pub files, each key named after its file. An unsigned or wrongly "
                    + "signed deployment is refused, logged and counted, and the running version stays "
                    + "(default: none; unsigned deployments run).")
    List<Path> paths = new ArrayList<>();

    /** The keys; a missing or unreadable key file is a usage error. */
    TrustedKeys keys() {
        return paths.isEmpty() ? TrustedKeys.none() : TrustedKeys.read(paths);
    }

    /** The keys, with refusals only logged (where no meters are served). */
    UdfDeploymentWatcher.Trust trust() {
        return new UdfDeploymentWatcher.Trust(keys(), (name, reason) -> { });
    }

    /** The keys, with refusals counted in the processor's meters. */
    UdfDeploymentWatcher.Trust trust(MeterRegistry registry) {
        return new UdfDeploymentWatcher.Trust(keys(), new ProcessorMeters(registry)::udfDeploymentRefused);
    }
}
