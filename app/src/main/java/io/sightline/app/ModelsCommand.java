package io.sightline.app;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.sightline.model.ModelInfo;
import io.sightline.model.ModelSpec;
import io.sightline.model.ModelStore;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Shows which model file is used and proves its checksum. */
@Command(name = "models", mixinStandardHelpOptions = true,
        description = "Resolve the pinned models (asset dir, cache, download), verify their sha256 and print them.",
        subcommands = {ModelsListCommand.class, ModelsVerifyCommand.class, ModelsPullCommand.class,
                ModelsEvalCommand.class, ModelsActivateCommand.class})
final class ModelsCommand implements Callable<Integer> {

    @Mixin
    AssetOptions assets;

    @Option(names = "--json", description = "Print as JSON.")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        try (ModelStore store = ModelStore.open(assets.modelStoreConfig())) {
            Path file = store.faceDetectorFile();
            ModelInfo info = ModelSpec.MTCNN.info();
            var out = spec.commandLine().getOut();
            if (json) {
                out.println(JsonNodeFactory.instance.objectNode().put("name", info.name())
                        .put("version", info.version()).put("sha256", info.sha256())
                        .put("path", file.toAbsolutePath().toString()).put("verified", true));
            } else {
                out.printf("%s %s  sha256 %s (verified)%n  %s%n", info.name(), info.version(), info.sha256(),
                        file.toAbsolutePath());
            }
            out.flush();
        }
        return 0;
    }
}
