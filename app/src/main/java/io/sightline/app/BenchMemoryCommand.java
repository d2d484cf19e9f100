package io.sightline.app;

import io.sightline.bench.MemoryBench;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sightline bench memory}: its options; the measurement is {@link MemoryBench}. */
@Command(name = "memory", mixinStandardHelpOptions = true,
        description = "Run N inferences on one shared TensorFlow session and print resident memory (RSS) every "
                + "N/samples inferences, and its growth from the end of warm-up to the end.")
final class BenchMemoryCommand implements Callable<Integer> {

    @Option(names = "--image", paramLabel = "FILE",
            description = "Image to run on (default: the asset dir's solvay-1927.jpg).")
    Path image;

    @Option(names = "--inferences", paramLabel = "N", defaultValue = "10000",
            description = "Inferences measured after warm-up (default: ${DEFAULT-VALUE}).")
    int inferences;

    @Option(names = "--warmup", paramLabel = "N", defaultValue = "200",
            description = "Inferences run before the baseline sample (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--samples", paramLabel = "N", defaultValue = "20",
            description = "RSS samples taken over the measured inferences (default: ${DEFAULT-VALUE}).")
    int samples;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "2",
            description = "Threads calling the detector at once (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--min-face", paramLabel = "N", defaultValue = "40",
            description = "Smallest face in pixels (default: ${DEFAULT-VALUE}).")
    float minFace;

    @Option(names = "--swaps", paramLabel = "N", defaultValue = "0",
            description = "Switch the face detector between the versions of its model N times while the threads "
                    + "detect, one switch per N-th of the measured inferences, as `models activate` does in a "
                    + "processor, and sample RSS after each; warm-up then includes one round trip "
                    + "(default: ${DEFAULT-VALUE}, no switch).")
    int swaps;

    @Option(names = "--json", description = "Print the result as one JSON object.")
    boolean json;

    @Mixin
    AssetOptions assets;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        var settings = new MemoryBench.Settings(image, inferences, warmup, samples, threads, minFace, swaps, json);
        return new MemoryBench(settings, assets.modelStoreConfig(),
                spec.commandLine().getOut(), spec.commandLine().getErr()).run();
    }
}
