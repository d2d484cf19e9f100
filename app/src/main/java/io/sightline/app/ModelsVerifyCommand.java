package io.sightline.app;

import io.sightline.model.ModelCatalog;
import io.sightline.model.ModelManifest;
import io.sightline.model.ModelStore;
import io.sightline.model.ModelStoreException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Proves the local model files are the pinned ones and load as the expected graphs; downloads nothing. */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = "Check each model's sha256, size and tensors where it is now (nothing is downloaded); "
                + "exit 1 if any fails.")
final class ModelsVerifyCommand implements Callable<Integer> {

    @Mixin
    AssetOptions assets;

    @Option(names = "--cache-dir", paramLabel = "DIR",
            description = "Model cache (default: ${XDG_CACHE_HOME:-~/.cache}/sightline).")
    Path cacheDir;

    @Parameters(paramLabel = "NAME", arity = "0..*", description = "Models to verify (default: all).")
    List<String> names;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        var out = spec.commandLine().getOut();
        var err = spec.commandLine().getErr();
        List<ModelManifest> models = names == null || names.isEmpty()
                ? List.copyOf(ModelCatalog.bundled().all())
                : names.stream().map(ModelCatalog.bundled()::get).toList();
        int failed = 0;
        for (ModelManifest model : models) {
            try {
                Path file = ModelStore.verify(assets.modelStoreConfig(cacheDir), model);
                out.printf("ok      %s  sha256 %s, %d bytes, tensors %s  %s%n", model.label(), model.sha256(),
                        model.sizeBytes(), model.outputs().keySet(), file);
            } catch (ModelStoreException e) {
                failed++;
                err.printf("FAILED  %s: %s%n", model.label(), e.getMessage());
            }
        }
        out.flush();
        err.flush();
        return failed == 0 ? 0 : 1;
    }
}
