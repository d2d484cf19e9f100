package io.sightline.udf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sightline.model.DetectionOptions;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What the runtime refuses when a module is loaded, before any frame runs, and what it promises its callers. Each
 * refusal is one line naming the UDF and the reason; nothing of a refused module keeps running.
 */
class UdfRuntimeTest {

    private static final Duration BUDGET = Duration.ofMillis(200);

    private final FakeFaceDetector detector = new FakeFaceDetector(List.of());
    private final UdfConfig config = new UdfConfig(DetectionOptions.defaults(), UdfConfig.DEFAULT_MEMORY_MAX_PAGES,
            BUDGET);

    @Test
    void refusesBytesThatAreNotAWasmModule() {
        byte[] garbage = "GIF89a, not wasm".getBytes(StandardCharsets.US_ASCII);

        assertThatThrownBy(() -> load(garbage))
                .isInstanceOf(UdfDeploymentException.class)
                .hasMessage("hand-made@test is not a valid WebAssembly module: it does not start with the \\0asm header");
    }

    @Test
    void refusesATruncatedModuleWithTheParsersReason() {
        byte[] truncated = Arrays.copyOf(minimalUdf(1), 16);

        assertThatThrownBy(() -> load(truncated))
                .isInstanceOf(UdfDeploymentException.class)
                .hasMessageStartingWith("hand-made@test is not a valid WebAssembly module: ")
                .hasMessageNotContaining("section size mismatch, unexpected end");
    }

    @Test
    void refusesAModuleWithoutOnFrame() {
        byte[] emptyModule = {0, 'a', 's', 'm', 1, 0, 0, 0};

        assertThatThrownBy(() -> load(emptyModule))
                .isInstanceOf(UdfDeploymentException.class)
                .hasMessage("hand-made@test does not export function process (or its older name on_frame)");
    }

    @Test
    void refusesAModuleImportingAFunctionTheHostLacks() {
        assertThatThrownBy(() -> TestUdfs.load("foreign-import", detector, config))
                .isInstanceOf(UdfDeploymentException.class)
                .hasMessage("foreign-import@1.0.0 is unlinkable: imports sightline.teleport (i32) -> i32 which the "
                        + "host does not provide");
    }

    @Test
    void refusesAModuleBuiltForAnotherAbiVersion() {
        assertThatThrownBy(() -> load(minimalUdf(2)))
                .isInstanceOf(UdfDeploymentException.class)
                .hasMessage("hand-made@test targets UDF ABI version 2, this host speaks version 1");
    }

    @Test
    void refusesAModuleWhoseStartFunctionNeverReturnsWithinTheBudget() {
        long start = System.nanoTime();

        assertThatThrownBy(() -> TestUdfs.load("start-loop", detector, config))
                .isInstanceOf(UdfDeploymentException.class)
                .hasMessage("start-loop@1.0.0 ran past its time budget of 200 ms in its start function and was "
                        + "interrupted");
        // Returning at all is the point; how soon after the budget is measured by UdfBenchmark, not asserted.
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(BUDGET);
        assertThat(Thread.currentThread().isInterrupted()).as("watchdog interrupt cleared").isFalse();
    }

    @Test
    void refusesAModuleWhoseInitFails() {
        UdfDeployment failing = TestUdfs.deployment("configured").withConfig("{\"init\":\"fail\"}");

        assertThatThrownBy(() -> UdfRuntime.load(failing, detector, config))
                .isInstanceOf(UdfDeploymentException.class)
                .hasMessage("configured@1.0.0 init returned error status 3");
    }

    @Test
    void handsTheConfigToInitAndEveryFrame() {
        UdfDeployment dropping = TestUdfs.deployment("configured").withConfig("{\"frames\":\"drop\"}");
        try (UdfRuntime emitting = TestUdfs.load("configured", detector, config);
                UdfRuntime dropper = UdfRuntime.load(dropping, detector, config);
                UdfInstance emits = emitting.newInstance();
                UdfInstance drops = dropper.newInstance()) {
            assertThat(emits.process(TestFrames.jpegFrame("cam"))).isInstanceOf(UdfResult.Emitted.class);
            assertThat(drops.process(TestFrames.jpegFrame("cam"))).isInstanceOf(UdfResult.Dropped.class);
        }
    }

    @Test
    void acceptsAModuleBuiltForThisAbiVersion() {
        try (UdfRuntime runtime = load(minimalUdf(1))) {
            assertThat(runtime.info().name()).isEqualTo("hand-made");
            assertThat(runtime.info().sha256()).hasSize(64);
        }
    }

    @Test
    void loadsABundledUdfByName() {
        try (UdfRuntime runtime = UdfRuntime.bundled("face-annotate", UdfDeployment.NO_CONFIG, detector, config)) {
            assertThat(runtime.info().name()).isEqualTo("face-annotate");
        }
        assertThatThrownBy(() -> UdfRuntime.bundled("face-blurr", UdfDeployment.NO_CONFIG, detector, config))
                .isInstanceOf(UdfDeploymentException.class)
                .hasMessage("no bundled UDF is named face-blurr; bundled: crowd-alert, face-annotate, face-blur, "
                        + "frame-sampler");
    }

    @Test
    void deploymentsAreValuesAndKeepTheirBytes() {
        byte[] wasm = minimalUdf(1);
        UdfDeployment deployment = UdfDeployment.of("hand-made", "test", wasm);
        wasm[0] = 42;

        assertThat(deployment).isEqualTo(UdfDeployment.of("hand-made", "test", minimalUdf(1)))
                .hasSameHashCodeAs(UdfDeployment.of("hand-made", "test", minimalUdf(1)))
                .isNotEqualTo(deployment.withConfig("{\"a\":1}"));
        assertThat(deployment.wasm()).isEqualTo(minimalUdf(1));
        assertThatThrownBy(() -> UdfDeployment.of("Face Blur", "1", wasm))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("UDF name");
    }

    @Test
    void refusesNewInstancesOnceClosed() {
        UdfRuntime runtime = UdfRuntime.faceAnnotate(detector, UdfConfig.defaults());
        runtime.close();

        assertThatThrownBy(runtime::newInstance).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void validatesItsConfig() {
        DetectionOptions detection = DetectionOptions.defaults();
        assertThatThrownBy(() -> new UdfConfig(detection, 0, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("memoryMaxPages");
        assertThatThrownBy(() -> new UdfConfig(detection, 16, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("timeBudget");
    }

    private UdfRuntime load(byte[] wasm) {
        return UdfRuntime.load(UdfDeployment.of("hand-made", "test", wasm), detector, config);
    }

    /**
     * The smallest module with the ABI's exports, assembled by hand: {@code abi_version} returns the given version,
     * {@code on_frame} returns 0.
     */
    private static byte[] minimalUdf(int abiVersion) {
        return new byte[] {
            0, 'a', 's', 'm', 1, 0, 0, 0,
            // types: () -> i32, (i32) -> i32
            1, 10, 2, 0x60, 0, 1, 0x7f, 0x60, 1, 0x7f, 1, 0x7f,
            // functions: 0 of type 0, 1 of type 1
            3, 3, 2, 0, 1,
            // exports: "abi_version" = function 0, "on_frame" = function 1
            7, 26, 2,
            11, 'a', 'b', 'i', '_', 'v', 'e', 'r', 's', 'i', 'o', 'n', 0, 0,
            8, 'o', 'n', '_', 'f', 'r', 'a', 'm', 'e', 0, 1,
            // code: i32.const abiVersion; i32.const 0
            10, 11, 2, 4, 0, 0x41, (byte) abiVersion, 0x0b, 4, 0, 0x41, 0, 0x0b,
        };
    }
}
