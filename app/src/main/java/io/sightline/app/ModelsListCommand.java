package io.sightline.app;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.sightline.cluster.Preflight;
import io.sightline.model.ModelCatalog;
import io.sightline.model.ModelManifest;
import io.sightline.model.ModelStore;
import io.sightline.model.ModelStoreConfig;
import io.sightline.schemas.Topics;
import io.sightline.stream.ModelActivation;
import io.sightline.stream.ModelActivationTopic;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The manifests shipped with Sightline and where each model's file is on this machine. */
@Command(name = "list", mixinStandardHelpOptions = true,
        description = "List the known models: manifest (version, format, licence, sha256) and where the file is.")
final class ModelsListCommand implements Callable<Integer> {

    @Mixin
    AssetOptions assets;

    @Option(names = "--cache-dir", paramLabel = "DIR",
            description = "Model cache (default: ${XDG_CACHE_HOME:-~/.cache}/sightline).")
    Path cacheDir;

    @Option(names = "--json", description = "Print as JSON.")
    boolean json;

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT",
            description = "Also mark the version processors run, as `models activate` last set it in the cluster's "
                    + "models topic (the default version when none was activated).")
    String bootstrapServers;

    @Option(names = "--topic-prefix", paramLabel = "PREFIX", defaultValue = Topics.DEFAULT_PREFIX,
            description = "With --bootstrap-servers: the activations are in PREFIX.models (default: ${DEFAULT-VALUE}).")
    String topicPrefix;

    @Mixin
    KafkaSecurityOptions kafkaSecurity;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        ModelStoreConfig config = assets.modelStoreConfig(cacheDir);
        var out = spec.commandLine().getOut();
        ArrayNode rows = JsonNodeFactory.instance.arrayNode();
        Optional<String> active = activeFaceDetector();
        for (ModelManifest model : ModelCatalog.bundled().all()) {
            Optional<Path> file = ModelStore.locate(config, model);
            boolean isActive = active.filter(model.label()::equals).isPresent();
            if (json) {
                var row = rows.addObject().put("name", model.name()).put("version", model.version())
                        .put("format", model.format().label()).put("license", model.license())
                        .put("sizeBytes", model.sizeBytes()).put("sha256", model.sha256())
                        .put("source", model.sourceUrl().toString())
                        .put("path", file.map(Path::toString).orElse(null));
                row.putPOJO("inputs", model.inputs().keySet());
                row.putPOJO("outputs", model.outputs().keySet());
                row.putPOJO("defaults", model.defaults());
                if (active.isPresent()) {
                    row.put("active", isActive);
                }
            } else {
                out.printf("%-8s %-18s %-16s %-4s %5.1f MiB  %s%n", model.name(), model.version(),
                        model.format().label(), model.license(), model.sizeBytes() / 1048576.0,
                        file.map(path -> path.toString()).orElse("not on this machine (models pull " + model.name()
                                + ")") + (isActive ? "  (active)" : ""));
            }
        }
        if (json) {
            out.println(rows);
        }
        out.flush();
        return 0;
    }

    /** The face detector version processors run, when asked to look in a cluster. */
    private Optional<String> activeFaceDetector() {
        if (bootstrapServers == null) {
            return Optional.empty();
        }
        String topic = Topics.withPrefix(topicPrefix).models();
        kafkaSecurity.apply(bootstrapServers);
        Preflight.ensureCompactedTopic(bootstrapServers, topic, Duration.ofSeconds(15));
        ModelActivation activation = new ModelActivationTopic(bootstrapServers, topic).activations()
                .get(ModelStore.FACE_DETECTOR_ROLE);
        return Optional.of(activation != null ? activation.model()
                : ModelStore.faceDetectorVersion("mtcnn").label());
    }
}
