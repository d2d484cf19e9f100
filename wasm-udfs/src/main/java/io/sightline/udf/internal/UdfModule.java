package io.sightline.udf.internal;

import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Machine;
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
}
