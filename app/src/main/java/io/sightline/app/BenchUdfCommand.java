package io.sightline.app;

import io.sightline.bench.PipelineBench;
import io.sightline.bench.UdfBench;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sightline bench udf}: its options; the measurement is {@link UdfBench}. */
@Command(name = "udf", mixinStandardHelpOptions = true,
        description = {"Measure the Wasm UDF layer with inference excluded (MTCNN's faces are recorded once, then "
                + "replayed): per-frame cost of the Wasm call with host drawing and results (decode and the annotated "
                + "image's encoding shown apart), and the cost of a new instance (start function and init) from a "
                + "compiled module. For face-annotate compiled at build time and loaded at run time (Chicory's "
                + "runtime compiler), and for the SDK examples in Rust and C.",
                "Targets: frame ≤ 2 ms, instance ≤ 1 ms (medians)."})
final class BenchUdfCommand implements Callable<Integer> {

    @Option(names = "--image", paramLabel = "FILE",
            description = "JPEG or PNG to run on (default: the asset dir's images/" + PipelineBench.DEFAULT_IMAGE + ").")
    Path image;

    @Option(names = "--frames", paramLabel = "N", defaultValue = "200",
            description = "Frames measured per module (default: ${DEFAULT-VALUE}).")
    int frames;

    @Option(names = "--instances", paramLabel = "N", defaultValue = "1000",
            description = "New instances measured per module (default: ${DEFAULT-VALUE}).")
    int instances;

    @Option(names = "--warmup", paramLabel = "N", defaultValue = "100",
            description = "Frames and instances run before each measurement and not counted "
                    + "(default: ${DEFAULT-VALUE}).")
    int warmup;

    @Mixin
    MinFaceOptions minFace;

    @Option(names = "--json", description = "Print the result as one JSON object.")
    boolean json;

    @Mixin
    AssetOptions assets;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        var settings = new UdfBench.Settings(image, frames, instances, warmup, minFace.pixels, json);
        return new UdfBench(settings, assets.modelStoreConfig(),
                spec.commandLine().getOut(), spec.commandLine().getErr()).run();
    }
}
