package io.sightline.udf;

import com.dylibso.chicory.runtime.ChicoryInterruptedException;
import com.dylibso.chicory.runtime.ExportFunction;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.wasm.ChicoryException;
import io.sightline.model.Face;
import io.sightline.udf.UdfResult.Dropped;
import io.sightline.udf.UdfResult.Emitted;
import io.sightline.udf.UdfResult.Failed;
import io.sightline.udf.internal.AnnotatedEncoder.Fitted;
import io.sightline.udf.internal.DecodedImage;
import io.sightline.udf.internal.FrameContext;
import io.sightline.udf.internal.FrameImage;
import io.sightline.udf.internal.MetricsRecorder;
import io.sightline.udf.internal.HostFunctions;
import io.sightline.udf.internal.InferenceException;
import io.sightline.udf.internal.UdfAbiException;
import io.sightline.udf.internal.Watchdog;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;

/**
 * One UDF instance with its own linear memory: not thread-safe, one per stream thread. Bad frames and misbehaving
 * UDFs come back as {@link Failed}; after a failed call the Wasm instance is replaced, so the next frame runs on
 * fresh state. A Wasm instance is started (start function, {@code init}) inside the budget of the frame that needs
 * it.
 */
public final class UdfInstance implements AutoCloseable {

    private static final int STATUS_EMITTED = 0;
    private static final int STATUS_DROPPED = 1;
    private static final double NANOS_PER_MILLI = 1_000_000.0;
    private static final String JSON = "application/json";

    private final UdfRuntime runtime;
    private final HostFunctions host;
    private Instance instance;
    private ExportFunction entryPoint;
    private final UdfState ownState = UdfState.inMemory();
    private final MetricsRecorder metrics = new MetricsRecorder();
    private boolean closed;

    UdfInstance(UdfRuntime runtime) {
        this.runtime = runtime;
        this.host = runtime.newHostFunctions(metrics);
    }

    /**
     * Runs the UDF on one frame, with state of its own behind the {@code state_*} host functions. Never throws for
     * bad input or a misbehaving UDF; throws {@link CancellationException} when the calling thread itself is
     * interrupted (shutdown), with its interrupt flag kept.
     */
    public UdfResult process(FrameInput frame) {
        return process(frame, ownState);
    }

    /**
     * Runs the UDF on one frame with the given state behind the {@code state_*} host functions (the frame's
     * camera's state, scoped by the caller). The frame's state writes reach {@code state} only if it succeeds
     * (emitted or dropped); a failed frame leaves it untouched.
     */
    public UdfResult process(FrameInput frame, UdfState state) {
        try (FrameImage shared = new FrameImage(frame, runtime.config().images())) {
            return process(shared, state);
        }
    }

    /** The counters and timers this instance's UDF recorded so far. */
    public UdfMetrics metrics() {
        return metrics.snapshot();
    }

    /**
     * Runs the UDF on a frame earlier stages may already have decoded, drawn on and detected in, with {@code state}
     * behind the {@code state_*} host functions (written only if the frame is not failed).
     */
    public UdfResult process(SharedFrame frame, UdfState state) {
        return process(frame.image(), state);
    }

    UdfResult process(FrameImage frame, UdfState state) {
        if (closed) {
            throw new IllegalStateException("UdfInstance is closed");
        }
        runtime.ensureOpen();
        long start = System.nanoTime();
        try (FrameContext context = new FrameContext(frame, state)) {
            UdfResult result = run(context, start);
            if (!(result instanceof Failed)) {
                context.commitState();
            }
            return result;
        }
    }

    @Override
    public void close() {
        closed = true;
        discard();
    }

    private UdfResult run(FrameContext context, long start) {
        Watchdog.Watch watch = runtime.watchdog().start(runtime.config().timeBudget());
        long callStart = System.nanoTime();
        RuntimeException failure = null;
        int status = STATUS_EMITTED;
        try {
            if (entryPoint == null) {
                start();
            }
            host.begin(context, watch);
            status = (int) entryPoint.apply(FrameContext.FRAME_HANDLE)[0];
        } catch (RuntimeException e) {
            failure = e;
        } finally {
            host.end();
        }
        long callNanos = System.nanoTime() - callStart;
        boolean expired = watch.stop();
        if (expired || failure != null) {
            Failed failed = failed(failure, expired);
            // A call cut short may leave the guest's memory and globals half-updated: start the next frame afresh.
            discard();
            return failed;
        }
        return switch (status) {
            // Timed after the outputs are encoded: the total includes the annotated image's encode.
            case STATUS_EMITTED -> emitted(context, callNanos, start);
            case STATUS_DROPPED -> new Dropped(name() + " dropped the frame", timings(context, callNanos, start));
            default -> new Failed(FailureCode.UDF_ERROR, "udf", name() + " returned error status " + status);
        };
    }

    private UdfResult emitted(FrameContext context, long callNanos, long start) {
        FrameImage frame = context.frameImage();
        Optional<DecodedImage> decoded = frame.decodedIfAny();
        ImageLimits images = runtime.config().images();
        Fitted annotated = context.emittedImage().map(image -> context.encode(image, images))
                .orElse(new Fitted(Optional.empty(), ImageFit.NONE));
        List<Face> faces = context.emittedFaces().stream()
                .map(face -> decoded.map(image -> image.toOriginal(face)).orElse(face))
                .toList();
        int subsampling = decoded.map(DecodedImage::subsampling).orElse(1);
        // Drawn on a subsampled decode, the image is smaller than the frame even when it fits losslessly.
        ImageFit fit = annotated.fit() == ImageFit.FULL && subsampling > 1 ? ImageFit.REDUCED : annotated.fit();
        List<UdfOutput> outputs = new ArrayList<>();
        for (FrameContext.NamedOutput output : context.outputs()) {
            if (output.json() != null) {
                outputs.add(new UdfOutput(output.name(), JSON, output.json(), info()));
                continue;
            }
            Fitted image = context.encode(output.image(), images);
            if (image.image().isEmpty()) {
                return new Failed(FailureCode.IMAGE_TOO_LARGE, "udf", name() + " emitted an image to output "
                        + output.name() + " that does not fit in " + images.maxImageBytes()
                        + " bytes even as a thumbnail");
            }
            EncodedImage encoded = image.image().get();
            outputs.add(new UdfOutput(output.name(), contentType(encoded.encoding()), encoded.bytes(), info()));
        }
        int width = decoded.map(DecodedImage::width).orElse(frame.frame().width());
        int height = decoded.map(DecodedImage::height).orElse(frame.frame().height());
        return new Emitted(faces, width, height, annotated.image(), fit, timings(context, callNanos, start), outputs,
                context.detectedModel());
    }

    private static String contentType(ImageEncoding encoding) {
        return encoding == ImageEncoding.PNG ? "image/png" : "image/jpeg";
    }

    private void start() {
        instance = runtime.instantiate(host);
        runtime.init(instance);
        entryPoint = instance.export(runtime.entryPoint());
    }

    private void discard() {
        instance = null;
        entryPoint = null;
    }

    private Failed failed(RuntimeException failure, boolean expired) {
        if (expired) {
            return new Failed(FailureCode.UDF_TIMEOUT, "udf", name() + " ran past its time budget of "
                    + runtime.config().timeBudget().toMillis() + " ms and was interrupted");
        }
        if (failure instanceof FrameImage.FrameDecodeException decode) {
            return new Failed(decode.decodeFailure().code(), "decode", decode.getMessage());
        }
        if (failure instanceof InferenceException) {
            return new Failed(FailureCode.INFERENCE, "inference", failure.getMessage());
        }
        if (failure instanceof UdfRuntime.InitFailedException initFailed) {
            return new Failed(FailureCode.UDF_ERROR, "udf", name() + " init returned error status "
                    + initFailed.status());
        }
        if (failure instanceof UdfAbiException) {
            return new Failed(FailureCode.UDF_ABI, "udf", name() + " broke the ABI: " + failure.getMessage());
        }
        if (failure instanceof ChicoryInterruptedException) {
            // Not our watchdog: someone is stopping this thread. Keep the flag for them.
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted while " + name() + " was running");
        }
        if (failure instanceof ChicoryException) {
            return new Failed(FailureCode.UDF_TRAP, "udf", name() + " trapped: " + failure.getMessage()
                    + memoryNote());
        }
        throw failure;
    }

    /** How full memory was: a trap near the cap is most likely an allocation the cap refused. */
    private String memoryNote() {
        return runtime.memoryMaxPages()
                .filter(cap -> instance != null)
                .map(cap -> " (memory: " + instance.memory().pages() + " of " + cap + " pages)")
                .orElse("");
    }

    /** How this instance's frames are decoded and its images emitted. */
    public ImageLimits imageLimits() {
        return runtime.config().images();
    }

    public UdfInfo info() {
        return runtime.info();
    }

    /** name@version, so a dead letter says which deployment of a UDF failed. */
    private String name() {
        return runtime.info().label();
    }

    private static Timings timings(FrameContext context, long callNanos, long start) {
        long inferenceNanos = context.inferenceNanos();
        long decodeNanos = context.decodeNanos();
        return new Timings(
                decodeNanos / NANOS_PER_MILLI,
                (callNanos - inferenceNanos - decodeNanos) / NANOS_PER_MILLI,
                inferenceNanos / NANOS_PER_MILLI,
                (System.nanoTime() - start) / NANOS_PER_MILLI,
                context.inferences());
    }
}
