package io.sightline.udf.internal;

import com.dylibso.chicory.compiler.InterpreterFallback;
import com.dylibso.chicory.compiler.MachineFactoryCompiler;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Machine;
import com.dylibso.chicory.wasm.Parser;
import com.dylibso.chicory.wasm.WasmModule;
import com.dylibso.chicory.wasm.types.FunctionImport;
import com.dylibso.chicory.wasm.types.FunctionType;
import com.dylibso.chicory.wasm.types.Import;
import com.dylibso.chicory.wasm.types.ImportSection;
import com.dylibso.chicory.wasm.types.ValType;
import io.sightline.udf.UdfDeployment;
import io.sightline.udf.UdfDeploymentException;
import io.sightline.udf.UdfInfo;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Turns the bytes of a module deployed at run time into a {@link UdfModule} compiled to JVM bytecode. Compiled code
 * is kept per sha256 of the bytes, so a module loaded again in the same JVM (another version label, a restarted
 * runtime) reuses its classes instead of compiling and loading them anew.
 */
public final class UdfModules {

    /** Modules whose compiled code is kept; the least recently loaded goes first. */
    static final int COMPILED_KEPT = 32;

    private static final Map<String, Compiled> COMPILED = Collections.synchronizedMap(
            new LinkedHashMap<>(COMPILED_KEPT, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Compiled> eldest) {
                    return size() > COMPILED_KEPT;
                }
            });

    private static final byte[] HEADER = {0, 'a', 's', 'm', 1, 0, 0, 0};
    /** Chicory lists the spec's expected messages for any malformed section before its own detail; keep the detail. */
    private static final String SPEC_BOILERPLATE = "section size mismatch, unexpected end of section or function, ";

    private UdfModules() {}

    /**
     * Parses the module, checks that it imports nothing but this host's functions, and compiles it with Chicory's
     * runtime compiler. A function the compiler cannot translate refuses the module instead of falling back to the
     * interpreter, which is far too slow for frames.
     */
    public static UdfModule compile(String name, String version, byte[] wasm) {
        UdfInfo info = new UdfInfo(name, version, UdfDeployment.sha256(wasm));
        // Holding the lock while compiling makes a second load of the same bytes wait for the first, not redo it.
        Compiled compiled = COMPILED.computeIfAbsent(info.sha256(), sha256 -> compile(info, wasm));
        return new UdfModule(info, compiled.module(), compiled.machineFactory());
    }

    private static Compiled compile(UdfInfo info, byte[] wasm) {
        WasmModule module;
        try {
            checkHeader(wasm);
            module = Parser.parse(wasm);
        } catch (RuntimeException e) {
            String detail = String.valueOf(e.getMessage());
            if (detail.startsWith(SPEC_BOILERPLATE)) {
                detail = detail.substring(SPEC_BOILERPLATE.length());
            }
            throw new UdfDeploymentException(info.label() + " is not a valid WebAssembly module: " + detail, e);
        }
        checkImports(info, module);
        try {
            return new Compiled(module, MachineFactoryCompiler.builder(module)
                    .withInterpreterFallback(InterpreterFallback.FAIL)
                    .compile());
        } catch (RuntimeException e) {
            throw new UdfDeploymentException(info.label() + " cannot be compiled to JVM bytecode: " + e.getMessage(),
                    e);
        }
    }

    private static void checkHeader(byte[] wasm) {
        if (wasm.length < HEADER.length || !Arrays.equals(wasm, 0, 4, HEADER, 0, 4)) {
            throw new IllegalArgumentException("it does not start with the \\0asm header");
        }
        if (!Arrays.equals(wasm, 4, 8, HEADER, 4, 8)) {
            throw new IllegalArgumentException("binary format version " + (wasm[4] & 0xff) + ", only version 1 exists");
        }
    }

    private static void checkImports(UdfInfo info, WasmModule module) {
        Map<String, FunctionType> host = HostFunctions.signatures();
        ImportSection imports = module.importSection();
        for (int i = 0; i < imports.importCount(); i++) {
            Import wanted = imports.getImport(i);
            String what = wanted.module() + "." + wanted.name();
            if (!(wanted instanceof FunctionImport function)) {
                throw unlinkable(info, "imports " + wanted.importType().name().toLowerCase() + " " + what
                        + "; a UDF may import only functions of module " + HostFunctions.MODULE);
            }
            FunctionType type = module.typeSection().getType(function.typeIndex());
            FunctionType provided = wanted.module().equals(HostFunctions.MODULE) ? host.get(wanted.name()) : null;
            if (provided == null) {
                throw unlinkable(info, "imports " + what + " " + describe(type)
                        + " which the host does not provide");
            }
            if (!provided.equals(type)) {
                throw unlinkable(info, "imports " + what + " as " + describe(type) + ", the host provides "
                        + describe(provided));
            }
        }
    }

    /** A parsed module and the factory of its compiled machines: the same for all loads of the same bytes. */
    private record Compiled(WasmModule module, Function<Instance, Machine> machineFactory) {}

    private static UdfDeploymentException unlinkable(UdfInfo info, String reason) {
        return new UdfDeploymentException(info.label() + " is unlinkable: " + reason);
    }

    /** A function type as WAT writes it, e.g. {@code (i32, f32) -> i32}. */
    public static String describe(FunctionType type) {
        String params = type.params().stream().map(UdfModules::name).collect(Collectors.joining(", ", "(", ")"));
        String returns = type.returns().isEmpty() ? "()" : type.returns().size() == 1 ? name(type.returns().get(0))
                : type.returns().stream().map(UdfModules::name).collect(Collectors.joining(", ", "(", ")"));
        return params + " -> " + returns;
    }

    private static String name(ValType type) {
        return type.toString().toLowerCase();
    }
}
