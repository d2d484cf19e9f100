package io.sightline.udf;

import com.dylibso.chicory.runtime.Instance;
import io.sightline.model.DetectionOptions;
import io.sightline.udf.internal.HostFunctions;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

/**
 * Measures what the UDF platform promises, on this machine: runtime compile of face-annotate, instance creation from
 * a compiled module, and how long a looping, memory-hogging or trapping UDF takes to come back as a failure.
 * Not a test (timings on a shared machine make flaky tests); run it by hand:
 * {@code java -cp target/classes:target/test-classes:$(cat cp.txt) io.sightline.udf.UdfBenchmark}.
 */
public final class UdfBenchmark {

    private static final Duration BUDGET = Duration.ofMillis(200);

    private UdfBenchmark() {}

    public static void main(String[] args) {
        FakeFaceDetector detector = new FakeFaceDetector(List.of());
        UdfConfig config = new UdfConfig(DetectionOptions.defaults(), UdfConfig.DEFAULT_MEMORY_MAX_PAGES, BUDGET);
        byte[] faceAnnotate = TestUdfs.wasm("/io/sightline/udf/bundled/face-annotate.wasm");
        UdfDeployment deployment = UdfDeployment.of("face-annotate", "bench", faceAnnotate);

        int[] variant = {0};
        report("load: parse, checks, runtime compile, probe; face-annotate (" + faceAnnotate.length + " bytes)", 8,
                () -> UdfRuntime.load(UdfDeployment.of("face-annotate", "bench", tagged(faceAnnotate, variant[0]++)),
                        detector, config));
        report("load of bytes already compiled in this JVM (compiled code reused)", 8,
                () -> UdfRuntime.load(deployment, detector, config));

        try (UdfRuntime loaded = UdfRuntime.load(deployment, detector, config);
                UdfRuntime bundled = UdfRuntime.faceAnnotate(detector, config);
                UdfRuntime configured = TestUdfs.load("configured", detector, config)) {
            instances("instance from runtime-compiled face-annotate", loaded);
            instances("instance from build-time-compiled face-annotate", bundled);
            instances("instance + init from runtime-compiled configured.wasm", configured);
        }

        report("refusal of start-loop.wasm (budget " + BUDGET.toMillis() + " ms)", 5, () -> {
            try {
                TestUdfs.load("start-loop", detector, config).close();
                throw new AssertionError("start-loop was accepted");
            } catch (UdfDeploymentException expected) {
                return null;
            }
        });
        try (UdfRuntime misbehave = TestUdfs.load("misbehave", detector, config);
                UdfInstance instance = misbehave.newInstance()) {
            instance.process(TestFrames.jpegFrame("ok"));
            for (String camera : List.of("loop", "hog", "trap", "ok")) {
                FrameInput frame = TestFrames.jpegFrame(camera);
                long[] nanos = new long[10];
                for (int i = 0; i < nanos.length; i++) {
                    long start = System.nanoTime();
                    UdfResult result = instance.process(frame);
                    nanos[i] = System.nanoTime() - start;
                    if (!(instance.process(TestFrames.jpegFrame("ok")) instanceof UdfResult.Emitted)) {
                        throw new AssertionError("next frame failed after " + result);
                    }
                }
                Arrays.sort(nanos);
                System.out.printf("%-60s median %.1f ms, max %.1f ms (%d runs; next frame emitted each time)%n",
                        "frame with camera " + camera + " to its result (budget " + BUDGET.toMillis() + " ms)",
                        nanos[nanos.length / 2] / 1e6, nanos[nanos.length - 1] / 1e6, nanos.length);
            }
        }
    }

    /** The same code with a custom section holding {@code n}: other bytes, so a real compile. */
    private static byte[] tagged(byte[] wasm, int n) {
        byte[] section = {0, 5, 3, 't', 'a', 'g', (byte) n};
        byte[] out = Arrays.copyOf(wasm, wasm.length + section.length);
        System.arraycopy(section, 0, out, wasm.length, section.length);
        return out;
    }

    private static void instances(String what, UdfRuntime runtime) {
        HostFunctions host = runtime.newHostFunctions();
        int warmup = 3_000;
        int runs = 20_000;
        for (int i = 0; i < warmup; i++) {
            runtime.init(runtime.instantiate(host));
        }
        long[] nanos = new long[runs];
        for (int i = 0; i < runs; i++) {
            long start = System.nanoTime();
            Instance instance = runtime.instantiate(host);
            runtime.init(instance);
            nanos[i] = System.nanoTime() - start;
        }
        Arrays.sort(nanos);
        System.out.printf("%-60s median %.3f ms, p99 %.3f ms, max %.3f ms (%d runs)%n", what,
                nanos[runs / 2] / 1e6, nanos[runs * 99 / 100] / 1e6, nanos[runs - 1] / 1e6, runs);
    }

    private static void report(String what, int runs, Supplier<?> action) {
        long[] nanos = new long[runs];
        for (int i = 0; i < runs; i++) {
            long start = System.nanoTime();
            Object result = action.get();
            nanos[i] = System.nanoTime() - start;
            if (result instanceof AutoCloseable closeable) {
                try {
                    closeable.close();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        System.out.printf("%-60s median %.1f ms, max %.1f ms, first %.1f ms (%d runs)%n", what,
                sorted[runs / 2] / 1e6, sorted[runs - 1] / 1e6, nanos[0] / 1e6, runs);
    }
}
