package io.sightline.app;

import io.sightline.model.DownloadProgress;
import io.sightline.model.ModelCatalog;
import io.sightline.model.ModelManifest;
import io.sightline.model.ModelStore;
import io.sightline.model.ModelStoreException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Downloads a model into the cache with a progress bar; the cached copy is replaced only by a verified one. */
@Command(name = "pull", mixinStandardHelpOptions = true,
        description = "Download a model into the cache from its pinned URL (or --from a mirror), verify its sha256.")
final class ModelsPullCommand implements Callable<Integer> {

    private static final int BAR_WIDTH = 30;

    @Mixin
    AssetOptions assets;

    @Option(names = "--cache-dir", paramLabel = "DIR",
            description = "Model cache (default: ${XDG_CACHE_HOME:-~/.cache}/sightline).")
    Path cacheDir;

    @Parameters(paramLabel = "NAME", description = "Model to download, as `models list` names it.")
    String name;

    @Option(names = "--from", paramLabel = "URL",
            description = "Download from this mirror instead of the manifest's source URL (same bytes required).")
    URI from;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        ModelManifest model = ModelCatalog.bundled().get(name);
        URI source = from == null ? model.sourceUrl() : from;
        PrintWriter err = spec.commandLine().getErr();
        err.printf("pulling %s from %s%n", model.label(), source);
        try {
            Path file = ModelStore.pull(assets.modelStoreConfig(cacheDir), model, source, bar(err, model.sizeBytes()));
            err.println();
            spec.commandLine().getOut().printf("%s  sha256 %s (verified)%n  %s%n", model.label(), model.sha256(), file);
            spec.commandLine().getOut().flush();
            return 0;
        } catch (ModelStoreException e) {
            err.println();
            err.println("error: " + e.getMessage());
            return 1;
        } finally {
            err.flush();
        }
    }

    /** A one-line bar redrawn in place, at most once per whole percent. */
    private static DownloadProgress bar(PrintWriter err, long expectedBytes) {
        int[] shown = {-1};
        return (bytes, total) -> {
            long size = total > 0 ? total : expectedBytes;
            int percent = (int) Math.min(100, bytes * 100 / Math.max(1, size));
            if (percent == shown[0]) {
                return;
            }
            shown[0] = percent;
            int filled = percent * BAR_WIDTH / 100;
            err.printf("\r  [%s%s] %3d%%  %.1f / %.1f MiB", "#".repeat(filled), "-".repeat(BAR_WIDTH - filled),
                    percent, bytes / 1048576.0, size / 1048576.0);
            err.flush();
        };
    }
}
