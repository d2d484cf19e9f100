package io.sightline.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sightline.cluster.EmbeddedKafkaConfig;
import io.sightline.cluster.LocalCluster;
import io.sightline.ingest.ImageFiles;
import io.sightline.ingest.ImageHeader;
import io.sightline.ingest.ImageProbe;
import io.sightline.ingest.KafkaFrameSink;
import io.sightline.ingest.RejectedImageException;
import io.sightline.model.DetectionOptions;
import io.sightline.model.FaceDetector;
import io.sightline.model.ModelStore;
import io.sightline.model.ModelStoreConfig;
import io.sightline.readers.OutputCollector;
import io.sightline.readers.OutputCollector.SeenEvent;
import io.sightline.schemas.Folders;
import io.sightline.schemas.FrameLimits;
import io.sightline.schemas.Topics;
import io.sightline.schemas.avro.Timings;
import io.sightline.stream.FrameSpread;
import io.sightline.stream.ProcessorConfig;
import io.sightline.stream.SightlineProcessor;
import io.sightline.stream.SnapshotEncoding;
import io.sightline.stream.TopologySerdes;
import io.sightline.stream.UdfStack;
import io.sightline.udf.FrameInput;
import io.sightline.udf.ImageEncoding;
import io.sightline.udf.ImageLimits;
import io.sightline.udf.SharedFrame;
import io.sightline.udf.UdfConfig;
import io.sightline.udf.UdfRuntime;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import java.util.function.ToDoubleFunction;

/**
 * Measures, in one JVM and one run, how far the pipeline is from the model: the bare inference loop on pre-decoded
 * images, half of it before and half after the full pipeline, which runs on the same images with the same threads
 * and the same TensorFlow session.
 */
public final class PipelineBench {

    public static final String DEFAULT_IMAGE = "solvay-1927.jpg";

    /** Cameras of a run when none are named: as many as a small site has. */
    public static final int DEFAULT_CAMERAS = 2;

    /**
     * What the command line asked for.
     *
     * @param cameras the camera ids frames are sent as, in turn ({@link #cameraIds})
     * @param spread  whether the processor spreads frames over every stream thread
     */
    public record Settings(List<Path> images, int frames, int threads, float minFace, int warmup, long timeoutSeconds,
            boolean json, List<String> cameras, FrameSpread spread) {}

    private final List<Path> images;
    private final int frames;
    private final int threads;
    private final List<String> cameras;
    private final FrameSpread spread;
    private final float minFace;
    private final int warmup;
    private final long timeoutSeconds;
    private final boolean json;
    private final ModelStoreConfig modelStore;
    private final SnapshotEncoding snapshots;
    private final PrintWriter out;
    private final PrintWriter err;

    public PipelineBench(Settings settings, ModelStoreConfig modelStore, SnapshotEncoding snapshots, PrintWriter out,
            PrintWriter err) {
        this.images = settings.images();
        this.frames = settings.frames();
        this.threads = settings.threads();
        this.cameras = List.copyOf(settings.cameras());
        this.spread = settings.spread();
        this.minFace = settings.minFace();
        this.warmup = settings.warmup();
        this.timeoutSeconds = settings.timeoutSeconds();
        this.json = settings.json();
        this.modelStore = modelStore;
        this.snapshots = snapshots;
        this.out = out;
        this.err = err;
    }

    /**
     * The camera ids of a run, named as users name them: {@code ids} when given, else {@code cam-1} … {@code cam-N}.
     * They are never picked to land on distinct partitions: where two share a partition, the run shows what that
     * costs.
     */
    public static List<String> cameraIds(int count, List<String> ids) {
        if (ids != null && !ids.isEmpty()) {
            for (String id : ids) {
                if (id == null || id.isBlank()) {
                    throw new IllegalArgumentException("--camera-ids: a camera id must not be empty");
                }
            }
            if (new HashSet<>(ids).size() != ids.size()) {
                throw new IllegalArgumentException("--camera-ids: each camera id once, got " + String.join(",", ids));
            }
            return List.copyOf(ids);
        }
        requireAtLeast("--cameras", count, 1);
        List<String> named = new ArrayList<>(count);
        for (int i = 1; i <= count; i++) {
            named.add("cam-" + i);
        }
        return named;
    }

    /**
     * One input image: its bytes as a camera would send them, and its pixels decoded once for the bare loop, the way
     * the pipeline decodes them (a large image subsampled the same way), so both detect on the same pixels.
     */
    record Input(String name, byte[] bytes, ImageHeader header, BufferedImage pixels) {}

    /** One half of the bare loop: frames measured, wall seconds they took, each detection's ms, CPU ms in all. */
    record BareHalf(int frames, double seconds, List<Double> millis, double cpuMs) {

        double framesPerSecond() {
            return seconds > 0 ? frames / seconds : 0;
        }
    }

    /** Runs the measurement and prints it; the exit code: 0, or 1 when it is incomplete. */
    public int run() throws Exception {
        requireAtLeast("--frames", frames, 1);
        requireAtLeast("--threads", threads, 1);
        requireAtLeast("--warmup", warmup, 0);
        ModelStoreConfig modelConfig = modelStore;
        var detection = new DetectionOptions(minFace);
        UdfConfig udfConfig = UdfStack.udfConfig(detection, FrameLimits.defaults(), snapshots);
        List<Input> inputs = readInputs(imageFiles(modelConfig), udfConfig.images());
        try (UdfStack udfs = UdfStack.open(modelConfig, udfConfig, UdfRuntime::faceAnnotate)) {
            int before = (frames + 1) / 2;
            progress("bare loop: %d frames on %d threads, then the pipeline, then %d more", before, threads,
                    frames - before);
            runOnThreads(warmup, i -> detect(udfs.detector(), inputs, i, detection));
            BareHalf first = bareHalf(udfs.detector(), inputs, detection, before);
            progress("bare loop: %.2f frames/s; starting the pipeline", first.framesPerSecond());
            BenchReport report = pipeline(udfs, inputs, first,
                    () -> bareHalf(udfs.detector(), inputs, detection, frames - before));
            if (json) {
                out.println(new ObjectMapper().writeValueAsString(report.toJson()));
                out.flush();
            } else {
                report.print(out);
            }
            return report.complete() ? 0 : 1;
        }
    }

    // ---- bare loop ----

    /**
     * Half of the bare loop's measured frames. The machine's speed drifts over a run (other tenants on shared
     * cores: the bare loop's own rate moved by up to 25 % between minutes), so one half runs before the pipeline and
     * the other right after its throughput phase, and drift between them cancels out of the ratio instead of landing
     * wholly on one side.
     */
    private BareHalf bareHalf(FaceDetector detector, List<Input> inputs, DetectionOptions options, int measured)
            throws Exception {
        List<Double> millis = Collections.synchronizedList(new ArrayList<>());
        List<Long> finished = Collections.synchronizedList(new ArrayList<>());
        int tail = tailFrames(measured);
        long cpuStart = RunStats.processCpuNanos();
        runOnThreads(measured + tail, i -> {
            millis.add(detect(detector, inputs, i, options));
            finished.add(System.nanoTime());
        });
        double cpuMs = cpuMsPerFrame(cpuStart, measured + tail) * measured;
        double rate = steadyRate(finished, measured);
        return new BareHalf(measured, rate > 0 ? measured / rate : 0, List.copyOf(millis), cpuMs);
    }

    /** Both halves as one loop: all frames over all the time they took. */
    static BenchReport.Bare combine(BareHalf before, BareHalf after) {
        List<Double> millis = new ArrayList<>(before.millis());
        millis.addAll(after.millis());
        int total = before.frames() + after.frames();
        double seconds = before.seconds() + after.seconds();
        return new BenchReport.Bare(seconds > 0 ? total / seconds : 0, before.framesPerSecond(),
                after.framesPerSecond(), Percentiles.nearestRank(millis, 0.5), (before.cpuMs() + after.cpuMs()) / total);
    }

    /**
     * Frames sent after the measured ones in each throughput phase. A stream thread works only on its own
     * partitions: without more frames behind the measured ones, whichever thread finished its share first would idle
     * while the other finished, and that wind-down, which a continuous stream never has, would count as throughput.
     */
    private int tailFrames(int measured) {
        return Math.max(4 * threads, measured / 5);
    }

    /**
     * Frames per second while every thread was busy: {@code measured} frames over the time from the first frame
     * done to the one {@code measured} later (the frames after those keep all threads working until then).
     */
    static double steadyRate(List<Long> finishedNanos, int measured) {
        List<Long> sorted = new ArrayList<>(finishedNanos);
        sorted.sort(Comparator.naturalOrder());
        int last = Math.min(measured, sorted.size() - 1);
        if (last < 1) {
            return 0;
        }
        return last / Math.max(1e-9, (sorted.get(last) - sorted.get(0)) / 1e9);
    }

    private static double detect(FaceDetector detector, List<Input> inputs, int i, DetectionOptions options) {
        long start = System.nanoTime();
        detector.detect(inputs.get(i % inputs.size()).pixels(), options);
        return (System.nanoTime() - start) / 1e6;
    }

    /** Runs task(0 … count-1) on {@code threads} threads, each taking the next index as it becomes free. */
    private void runOnThreads(int count, IntConsumer task) throws Exception {
        var next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                running.add(pool.submit(() -> {
                    for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                        task.accept(i);
                    }
                }));
            }
            for (Future<?> future : running) {
                future.get();
            }
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        } finally {
            pool.shutdownNow();
            pool.awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    // ---- pipeline ----

    /** @param secondHalf the bare loop's second half, run once the pipeline's throughput phase is over */
    private BenchReport pipeline(UdfStack udfs, List<Input> inputs, BareHalf firstHalf, Callable<BareHalf> secondHalf)
            throws Exception {
        Topics topics = Topics.withPrefix(Topics.DEFAULT_PREFIX);
        var kafkaConfig = new EmbeddedKafkaConfig(null, 0, 0, FrameLimits.DEFAULT_MAX_RECORD_BYTES, Map.of());
        Path out = Files.createTempDirectory("sightline-bench");
        Duration timeout = Duration.ofSeconds(timeoutSeconds);
        try (LocalCluster cluster = LocalCluster.start(kafkaConfig, 0, topics, threads)) {
            FrameLimits limits = FrameLimits.defaults().fromCluster(cluster.bootstrapServers(), topics.all());
            var config = ProcessorConfig.of(cluster.bootstrapServers(), topics, threads, limits).withSpread(spread);
            var serdes = cluster.serdes();
            try (SightlineProcessor processor = SightlineProcessor.start(config, TopologySerdes.from(serdes),
                            udfs.runtime());
                    OutputCollector collector = new OutputCollector(cluster.bootstrapServers(), topics,
                            OutputCollector.Decoders.from(serdes), out, limits.maxRecordBytes());
                    KafkaFrameSink sink = KafkaFrameSink.open(cluster.bootstrapServers(), serdes, topics, limits,
                            Integer.MAX_VALUE)) {
                processor.awaitRunning(Duration.ofSeconds(120));
                var publisher = new BenchPublisher(sink, inputs, cameras);

                boolean complete = publisher.publishWhileCollecting("warmup", warmup, 0, collector, warmup, timeout);

                progress("pipeline: %d frames (+%d behind them) of cameras %s as fast as it takes them", frames,
                        tailFrames(frames), String.join(", ", cameras));
                long cpuStart = RunStats.processCpuNanos();
                var threadCpu = StreamThreadCpu.start(config.applicationId());
                int sent = warmup + frames + tailFrames(frames);
                complete &= publisher.publishWhileCollecting("throughput", frames + tailFrames(frames), 0, collector,
                        sent, timeout);
                List<BenchReport.ThreadShare> busy = threadCpu.shares();
                List<SeenEvent> measured = phase(collector.seenEvents(), "throughput");
                long throughputDeadLetters = collector.deadLetters().stream()
                        .filter(d -> d.getFrameId() != null && d.getFrameId().startsWith("throughput-")).count();
                double pipelineFps = steadyRate(measured.stream()
                        .map(seen -> Duration.between(Instant.EPOCH, seen.seenAt()).toNanos()).toList(), frames);
                double pipelineCpuMs = cpuMsPerFrame(cpuStart, frames + tailFrames(frames));

                progress("pipeline: %.2f frames/s; the bare loop's second half", pipelineFps);
                BenchReport.Bare bare = combine(firstHalf, secondHalf.call());
                double load = pipelineFps / 2;
                progress("bare loop: %.2f frames/s after the pipeline, %.2f in all; latency at %.2f frames/s",
                        bare.afterFramesPerSecond(), bare.framesPerSecond(), load);
                complete &= publisher.publishWhileCollecting("latency", frames, load, collector, sent + frames,
                        timeout);

                List<SeenEvent> loaded = phase(collector.seenEvents(), "latency");
                List<Double> latencies = loaded.stream().map(PipelineBench::latencyMs).toList();
                var stages = new BenchReport.Stages(
                        median(measured, Timings::getDecodeMs),
                        median(measured, Timings::getUdfMs),
                        median(measured, Timings::getInferenceMs),
                        median(measured, t -> t.getTotalMs() - t.getDecodeMs() - t.getUdfMs() - t.getInferenceMs()),
                        Percentiles.nearestRank(loaded.stream().map(s -> latencyMs(s) - s.event().getTimings().getTotalMs())
                                .toList(), 0.5));
                return new BenchReport(inputs.stream().map(Input::name).toList(), frames, warmup, threads, minFace,
                        ModelStore.TF_INTER_OP_THREADS, cameras, spread.enabled(), bare, pipelineFps, pipelineCpuMs,
                        new BenchReport.Measured(frames + tailFrames(frames), measured.size(),
                                (int) throughputDeadLetters, busy), stages, load,
                        Percentiles.nearestRank(latencies, 0.5), Percentiles.nearestRank(latencies, 0.99),
                        RunStats.peakRssMiB(), complete);
            }
        } finally {
            Folders.deleteQuietly(out);
        }
    }

    /** Process CPU per frame since {@code cpuStart}; 0 where the JVM does not report CPU time. */
    private static double cpuMsPerFrame(long cpuStart, int framesSince) {
        long now = RunStats.processCpuNanos();
        return cpuStart < 0 || now < 0 ? 0 : (now - cpuStart) / 1e6 / framesSince;
    }

    private static List<SeenEvent> phase(List<SeenEvent> events, String phase) {
        return events.stream().filter(e -> e.event().getFrameId().startsWith(phase + "-")).toList();
    }

    /** From capture (= send) to the event being read by a consumer. */
    private static double latencyMs(SeenEvent seen) {
        return Duration.between(seen.event().getCapturedAt(), seen.seenAt()).toNanos() / 1e6;
    }

    private static double median(List<SeenEvent> events, ToDoubleFunction<Timings> stage) {
        return Percentiles.nearestRank(events.stream().map(e -> stage.applyAsDouble(e.event().getTimings())).toList(), 0.5);
    }


    // ---- inputs ----

    private List<Path> imageFiles(ModelStoreConfig modelConfig) throws IOException {
        if (images == null || images.isEmpty()) {
            Path image = modelConfig.assetsDir().map(dir -> dir.resolve("images").resolve(DEFAULT_IMAGE))
                    .filter(Files::isRegularFile)
                    .orElseThrow(() -> new IllegalArgumentException("no --images given and no asset dir with images/"
                            + DEFAULT_IMAGE + ": pass --images FILE, --assets DIR or set " + ModelStoreConfig.ASSETS_ENV));
            return List.of(image);
        }
        return ImageFiles.of(images);
    }

    private static List<Input> readInputs(List<Path> files, ImageLimits limits) throws IOException {
        var probe = new ImageProbe(FrameLimits.defaults().maxPixels());
        List<Input> inputs = new ArrayList<>();
        for (Path file : files) {
            byte[] bytes = Files.readAllBytes(file);
            ImageHeader header;
            try {
                header = probe.probe(bytes);
            } catch (RejectedImageException e) {
                throw new IllegalArgumentException("image " + file + ": " + e.getMessage());
            }
            BufferedImage pixels;
            try {
                pixels = SharedFrame.decode(new FrameInput("bench", file.getFileName().toString(), 0,
                        ImageEncoding.valueOf(header.encoding().name()), header.width(), header.height(), bytes), limits);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("image " + file + " cannot be decoded: " + e.getMessage());
            }
            // In the layout the pipeline's decoder gives and the detector takes as it is: the bare loop does nothing
            // per frame but inference.
            inputs.add(new Input(file.getFileName().toString(), bytes, header, pixels));
        }
        return inputs;
    }

    private static void requireAtLeast(String option, int value, int least) {
        if (value < least) {
            throw new IllegalArgumentException(option + " must be at least " + least + ", got " + value);
        }
    }

    private void progress(String format, Object... args) {
        err.printf("sightline bench: " + format + "%n", args);
        err.flush();
    }
}
