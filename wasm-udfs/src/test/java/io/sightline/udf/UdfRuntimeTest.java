package io.sightline.udf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.dylibso.chicory.compiler.MachineFactoryCompiler;
import com.dylibso.chicory.wasm.Parser;
import com.dylibso.chicory.wasm.WasmModule;
import io.sightline.model.DetectionOptions;
import io.sightline.udf.internal.UdfModule;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the runtime refuses before any frame runs, and what it promises its callers. */
class UdfRuntimeTest {

    private final FakeFaceDetector detector = new FakeFaceDetector(List.of());

    @Test
    void refusesAModuleWithoutOnFrame() {
        byte[] emptyModule = {0, 'a', 's', 'm', 1, 0, 0, 0};

        assertThatThrownBy(() -> new UdfRuntime(module(emptyModule), detector, UdfConfig.defaults()))
                .isInstanceOf(UdfDeploymentException.class)
                .hasMessage("hand-made does not export function on_frame");
    }

    @Test
    void refusesAModuleBuiltForAnotherAbiVersion() {
        assertThatThrownBy(() -> new UdfRuntime(module(minimalUdf(2)), detector, UdfConfig.defaults()))
                .isInstanceOf(UdfDeploymentException.class)
                .hasMessage("hand-made targets UDF ABI version 2, this host speaks version 1");
    }

    @Test
    void acceptsAModuleBuiltForThisAbiVersion() {
        try (UdfRuntime runtime = new UdfRuntime(module(minimalUdf(1)), detector, UdfConfig.defaults())) {
            assertThat(runtime.info().name()).isEqualTo("hand-made");
        }
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

    private static UdfModule module(byte[] wasm) {
        WasmModule module = Parser.parse(wasm);
        return new UdfModule(new UdfInfo("hand-made", "test", "n/a"), module, MachineFactoryCompiler.compile(module));
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
