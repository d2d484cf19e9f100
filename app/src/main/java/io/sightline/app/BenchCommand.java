package io.sightline.app;

import io.sightline.bench.PipelineBench;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sightline bench}: its options; the measurement is {@link PipelineBench}. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        subcommands = {BenchMemoryCommand.class, BenchUdfCommand.class, BenchSoakCommand.class},
        description = {"Measure the bare inference loop (model-store inference on pre-decoded images, nothing else) "
                + "and the full pipeline (in-process broker, ingest, processor with the Wasm UDF, outputs written) "
                + "on the same images, threads and TensorFlow session; print both throughputs, their ratio, where a "
                + "frame's time goes, p50/p99 latency at half the pipeline's throughput, and peak RSS.",
                "TensorFlow runs one shared session for both: intra-op 1 thread, each step on its calling thread "
                        + "(inter-op -1)."})
final class BenchCommand implements Callable<Integer> {

    @Option(names = "--images", paramLabel = "FILE|DIR", arity = "1..*", split = ",",
            description = "Images to run on, files or folders of .jpg/.jpeg/.png (default: the asset dir's "
                    + PipelineBench.DEFAULT_IMAGE + ").")
    List<Path> images;

    @Option(names = "--frames", paramLabel = "N", defaultValue = "200",
            description = "Frames measured in each phase, the images repeated; the bare loop runs half of them before "
                    + "the pipeline and half after it (default: ${DEFAULT-VALUE}).")
    int frames;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "2",
            description = "Inference threads of the bare loop, stream threads and partitions of the pipeline "
                    + "(default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--cameras", paramLabel = "N", defaultValue = "" + PipelineBench.DEFAULT_CAMERAS,
            description = "Cameras the pipeline's frames come from, in turn, named cam-1 … cam-N as a user would name "
                    + "them, wherever their ids land (default: ${DEFAULT-VALUE}).")
    int cameras;

    @Option(names = "--camera-ids", paramLabel = "ID", split = ",",
            description = "Camera ids to send the frames as, in turn, e.g. a,b; instead of --cameras.")
    List<String> cameraIds;

    @Mixin
    MinFaceOptions minFace;

    @Option(names = "--warmup", paramLabel = "N", defaultValue = "100",
            description = "Frames run before each measurement and not counted, while the JIT compiles the pipeline's "
                    + "Java code (Kafka, Avro, the Wasm UDF) and TensorFlow prepares its kernels "
                    + "(default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "300",
            description = "Give up waiting for the pipeline's outputs after this long (default: ${DEFAULT-VALUE}).")
    long timeoutSeconds;

    @Option(names = "--json", description = "Print the result as one JSON object.")
    boolean json;

    @Mixin
    AssetOptions assets;

    @Mixin
    SnapshotOptions snapshots;

    @Mixin
    SpreadOptions spread;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        var settings = new PipelineBench.Settings(images, frames, threads, minFace.pixels, warmup, timeoutSeconds,
                json, PipelineBench.cameraIds(cameras, cameraIds), spread.spread());
        return new PipelineBench(settings, assets.modelStoreConfig(), snapshots.encoding(), spec.commandLine().getOut(),
                spec.commandLine().getErr()).run();
    }
}
