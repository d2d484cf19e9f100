package io.sightline.udf.internal;

import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Machine;
import com.dylibso.chicory.wasm.types.FunctionImport;
import com.dylibso.chicory.wasm.WasmModule;
import io.sightline.udf.UdfInfo;
import java.util.Objects;
import java.util.function.Function;

/** A parsed UDF module with the machine that runs it as JVM bytecode, never the interpreter. */
public record UdfModule(UdfInfo info, WasmModule module, Function<Instance, Machine> machineFactory) {

    public UdfModule {
        Objects.requireNonNull(info, "info");
        Objects.requireNonNull(module, "module");
        Objects.requireNonNull(machineFactory, "machineFactory");
    }

    /**
     * Whether the module imports any of the host's state functions ({@code state_get}, {@code state_put},
     * {@code state_delete}): a UDF that keeps per-camera state must see each camera's frames one at a time, in
     * order; one that does not may run on any thread.
     */
    public boolean keepsState() {
        var imports = module.importSection();
        for (int i = 0; i < imports.importCount(); i++) {
            if (imports.getImport(i) instanceof FunctionImport function
                    && function.module().equals(HostFunctions.MODULE) && function.name().startsWith("state_")) {
                return true;
            }
        }
        return false;
    }
}
