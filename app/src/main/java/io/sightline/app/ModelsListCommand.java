package io.sightline.app;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.sightline.model.ModelCatalog;
import io.sightline.model.ModelManifest;
import io.sightline.model.ModelStore;
import io.sightline.model.ModelStoreConfig;
import java.nio.file.Path;
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

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        ModelStoreConfig config = assets.modelStoreConfig(cacheDir);
        var out = spec.commandLine().getOut();
        ArrayNode rows = JsonNodeFactory.instance.arrayNode();
        for (ModelManifest model : ModelCatalog.bundled().all()) {
            Optional<Path> file = ModelStore.locate(config, model);
            if (json) {
                var row = rows.addObject().put("name", model.name()).put("version", model.version())
                        .put("format", model.format().label()).put("license", model.license())
                        .put("sizeBytes", model.sizeBytes()).put("sha256", model.sha256())
                        .put("source", model.sourceUrl().toString())
                        .put("path", file.map(Path::toString).orElse(null));
                row.putPOJO("inputs", model.inputs().keySet());
                row.putPOJO("outputs", model.outputs().keySet());
                row.putPOJO("defaults", model.defaults());
            } else {
                out.printf("%-8s %-18s %-16s %-4s %5.1f MiB  %s%n", model.name(), model.version(),
                        model.format().label(), model.license(), model.sizeBytes() / 1048576.0,
                        file.map(path -> path.toString()).orElse("not on this machine (models pull " + model.name()
                                + ")"));
            }
        }
        if (json) {
            out.println(rows);
        }
        out.flush();
        return 0;
    }
}
