package io.sightline.app;

import io.sightline.cluster.Preflight;
import io.sightline.model.ModelManifest;
import io.sightline.model.ModelStore;
import io.sightline.schemas.Topics;
import io.sightline.stream.ModelActivation;
import io.sightline.stream.ModelActivationTopic;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Tells every processor following the cluster's models topic to switch its face detector to a model version. */
@Command(name = "activate", mixinStandardHelpOptions = true,
        description = "Switch the face detector of every running processor (process, demo, edge) to a model "
                + "version: writes it to the compacted <prefix>.models topic, which processors follow; frames keep "
                + "flowing. Exit 2 if the catalog has no such version.")
final class ModelsActivateCommand implements Callable<Integer> {

    @Parameters(paramLabel = "NAME@VERSION",
            description = "A version as `models list` names it, or NAME for that model's default version.")
    String ref;

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT", required = true,
            description = "Kafka brokers, comma-separated.")
    String bootstrapServers;

    @Option(names = "--topic-prefix", paramLabel = "PREFIX", defaultValue = Topics.DEFAULT_PREFIX,
            description = "The activation goes to PREFIX.models (default: ${DEFAULT-VALUE}).")
    String topicPrefix;

    @Option(names = "--startup-timeout", paramLabel = "SECONDS", defaultValue = "15",
            description = "How long to wait for the cluster (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Mixin
    KafkaSecurityOptions kafkaSecurity;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        // The catalog first: an unknown version is refused before the cluster is even asked.
        ModelManifest manifest = ModelStore.faceDetectorVersion(ref);
        if (timeoutSeconds < 1) {
            throw new IllegalArgumentException("--startup-timeout must be at least 1 second, got " + timeoutSeconds);
        }
        String topic = Topics.withPrefix(topicPrefix).models();
        kafkaSecurity.apply(bootstrapServers);
        Preflight.ensureCompactedTopic(bootstrapServers, topic, Duration.ofSeconds(timeoutSeconds));
        ModelActivation activation = ModelActivation.faceDetector(manifest, Instant.now());
        new ModelActivationTopic(bootstrapServers, topic).activate(activation);
        var out = spec.commandLine().getOut();
        out.printf("activated %s (sha256 %s) as %s in %s at %s; following processors switch without stopping%n",
                activation.model(), activation.sha256(), activation.role(), topic, activation.activatedAt());
        out.flush();
        return 0;
    }
}
