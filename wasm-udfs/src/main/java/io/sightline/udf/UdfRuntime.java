package io.sightline.udf;

import com.dylibso.chicory.runtime.ByteArrayMemory;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.wasm.ChicoryException;
import com.dylibso.chicory.wasm.WasmModule;
import com.dylibso.chicory.wasm.types.Export;
import com.dylibso.chicory.wasm.types.ExportSection;
import com.dylibso.chicory.wasm.types.ExternalType;
import com.dylibso.chicory.wasm.types.FunctionType;
import com.dylibso.chicory.wasm.types.MemoryLimits;
import com.dylibso.chicory.wasm.types.ValType;
import io.sightline.model.FaceDetector;
import io.sightline.model.ModelInfo;
import io.sightline.udf.internal.BundledUdfs;
import io.sightline.udf.internal.HostFunctions;
import io.sightline.udf.internal.UdfModule;
import io.sightline.udf.internal.Watchdog;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A UDF module checked against the ABI and ready to run: thread-safe, shared by all stream threads, each of which
 * takes its own {@link UdfInstance}. The face detector is borrowed, not owned: close it after the runtime.
 */
public final class UdfRuntime implements AutoCloseable {

    static final String ON_FRAME = "on_frame";
    static final String ABI_VERSION = "abi_version";

    private static final FunctionType ON_FRAME_TYPE = FunctionType.of(List.of(ValType.I32), List.of(ValType.I32));
    private static final FunctionType ABI_VERSION_TYPE = FunctionType.of(List.of(), List.of(ValType.I32));

    private final UdfModule module;
    private final FaceDetector detector;
    private final UdfConfig config;
    private final Optional<MemoryLimits> memoryLimits;
    private final Watchdog watchdog;
    private volatile boolean closed;

    UdfRuntime(UdfModule module, FaceDetector detector, UdfConfig config) {
        this.module = Objects.requireNonNull(module, "module");
        this.detector = Objects.requireNonNull(detector, "detector");
        this.config = Objects.requireNonNull(config, "config");
        this.memoryLimits = memoryLimits(module, config);
        this.watchdog = new Watchdog("udf-watchdog-" + module.info().name());
        try {
            checkAbi();
        } catch (RuntimeException e) {
            watchdog.close();
            throw e;
        }
    }

    /** The bundled face-annotate UDF: detects faces, keeps confident ones, draws them, emits faces and image. */
    public static UdfRuntime faceAnnotate(FaceDetector detector, UdfConfig config) {
        return new UdfRuntime(BundledUdfs.faceAnnotate(), detector, config);
    }

    public UdfInfo info() {
        return module.info();
    }

    /** Provenance of the model this runtime's host calls run, for the events it produces. */
    public ModelInfo model() {
        return detector.model();
    }

    /** A new instance for the calling thread; instances are cheap (well under a millisecond). */
    public UdfInstance newInstance() {
        ensureOpen();
        return new UdfInstance(this);
    }

    /** Stops the watchdog; instances still open fail on their next frame. */
    @Override
    public void close() {
        closed = true;
        watchdog.close();
    }

    HostFunctions newHostFunctions() {
        return new HostFunctions(info().name(), detector, config.detection());
    }

    Instance instantiate(HostFunctions host) {
        Instance.Builder builder = Instance.builder(module.module())
                .withImportValues(host.imports())
                .withMachineFactory(module.machineFactory())
                .withMemoryFactory(ByteArrayMemory::new);
        memoryLimits.ifPresent(builder::withMemoryLimits);
        return builder.build();
    }

    Watchdog watchdog() {
        return watchdog;
    }

    UdfConfig config() {
        return config;
    }

    void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("UdfRuntime for " + info().name() + " is closed");
        }
    }

    /** The module's own initial memory, capped at the configured maximum; a module needing more is refused. */
    private static Optional<MemoryLimits> memoryLimits(UdfModule module, UdfConfig config) {
        return module.module().memorySection()
                .filter(section -> section.memoryCount() > 0)
                .map(section -> {
                    MemoryLimits declared = section.getMemory(0).limits();
                    if (declared.initialPages() > config.memoryMaxPages()) {
                        throw new UdfDeploymentException(module.info().name() + " needs " + declared.initialPages()
                                + " memory pages at start, the limit is " + config.memoryMaxPages());
                    }
                    return new MemoryLimits(declared.initialPages(),
                            Math.min(declared.maximumPages(), config.memoryMaxPages()));
                });
    }

    /** Instantiates the module once to prove it links against the host and speaks this host's ABI version. */
    private void checkAbi() {
        String name = info().name();
        requireExport(ON_FRAME, ON_FRAME_TYPE);
        requireExport(ABI_VERSION, ABI_VERSION_TYPE);
        Instance probe;
        try {
            probe = instantiate(newHostFunctions());
        } catch (ChicoryException e) {
            throw new UdfDeploymentException(name + " cannot be instantiated: " + e.getMessage(), e);
        }
        long version = probe.export(ABI_VERSION).apply()[0];
        if (version != HostFunctions.ABI_VERSION) {
            throw new UdfDeploymentException(name + " targets UDF ABI version " + version
                    + ", this host speaks version " + HostFunctions.ABI_VERSION);
        }
    }

    private void requireExport(String export, FunctionType expected) {
        WasmModule wasm = module.module();
        ExportSection exports = wasm.exportSection();
        for (int i = 0; i < exports.exportCount(); i++) {
            Export candidate = exports.getExport(i);
            if (candidate.name().equals(export) && candidate.exportType() == ExternalType.FUNCTION) {
                FunctionType actual = functionType(wasm, candidate.index());
                if (!actual.equals(expected)) {
                    throw new UdfDeploymentException(info().name() + " exports " + export + " as " + actual
                            + ", the ABI needs " + expected);
                }
                return;
            }
        }
        throw new UdfDeploymentException(info().name() + " does not export function " + export);
    }

    private static FunctionType functionType(WasmModule wasm, int functionIndex) {
        int imported = wasm.importSection().count(ExternalType.FUNCTION);
        if (functionIndex < imported) {
            throw new UdfDeploymentException("re-exporting imported function " + functionIndex + " as a UDF entry point");
        }
        return wasm.typeSection().getType(wasm.functionSection().getFunctionType(functionIndex - imported));
    }
}
