package io.sightline.udf;

import com.dylibso.chicory.runtime.ByteArrayMemory;
import com.dylibso.chicory.runtime.ChicoryInterruptedException;
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
import io.sightline.udf.internal.MetricsRecorder;
import io.sightline.udf.internal.UdfAbiException;
import io.sightline.udf.internal.UdfModule;
import io.sightline.udf.internal.UdfModules;
import io.sightline.udf.internal.Watchdog;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;

/**
 * A UDF module checked against the ABI and ready to run: thread-safe, shared by all stream threads, each of which
 * takes its own {@link UdfInstance}. The module is compiled to JVM bytecode once, when the runtime is made (at build
 * time for bundled UDFs, by {@link #load} for deployed ones); instances share that code. The face detector is
 * borrowed, not owned: close it after the runtime.
 */
public final class UdfRuntime implements AutoCloseable {

    static final String PROCESS = "process";
    /** The entry point's name before {@value #PROCESS}; still accepted. */
    static final String ON_FRAME = "on_frame";
    static final String ABI_VERSION = "abi_version";
    static final String INIT = "init";

    private static final FunctionType PROCESS_TYPE = FunctionType.of(List.of(ValType.I32), List.of(ValType.I32));
    private static final FunctionType ABI_VERSION_TYPE = FunctionType.of(List.of(), List.of(ValType.I32));
    private static final FunctionType INIT_TYPE = FunctionType.of(List.of(), List.of(ValType.I32));

    private final UdfModule module;
    private final byte[] udfConfig;
    private final FaceDetector detector;
    private final UdfConfig config;
    private final Optional<MemoryLimits> memoryLimits;
    private final boolean hasInit;
    private final String entryPoint;
    private final Watchdog watchdog;
    private volatile boolean closed;

    UdfRuntime(UdfModule module, String configJson, FaceDetector detector, UdfConfig config) {
        this.module = Objects.requireNonNull(module, "module");
        this.udfConfig = configJson.getBytes(StandardCharsets.UTF_8);
        this.detector = Objects.requireNonNull(detector, "detector");
        this.config = Objects.requireNonNull(config, "config");
        this.memoryLimits = memoryLimits(module, config);
        this.entryPoint = findEntryPoint();
        requireExport(ABI_VERSION, ABI_VERSION_TYPE, true);
        this.hasInit = requireExport(INIT, INIT_TYPE, false);
        this.watchdog = new Watchdog("udf-watchdog-" + module.info().name());
        try {
            probe();
        } catch (RuntimeException e) {
            watchdog.close();
            throw e;
        }
    }

    /** The bundled face-annotate UDF: detects faces, keeps confident ones, draws them, emits faces and image. */
    public static UdfRuntime faceAnnotate(FaceDetector detector, UdfConfig config) {
        return bundled(BundledUdfs.FACE_ANNOTATE, UdfDeployment.NO_CONFIG, detector, config);
    }

    /**
     * A UDF built into this host (see {@link #bundledNames()}), compiled to bytecode at build time.
     *
     * @throws UdfDeploymentException when there is no bundled UDF of that name
     */
    public static UdfRuntime bundled(String name, String configJson, FaceDetector detector, UdfConfig config) {
        UdfModule module = BundledUdfs.byName(name).orElseThrow(() -> new UdfDeploymentException(
                "no bundled UDF is named " + name + "; bundled: " + String.join(", ", BundledUdfs.names())));
        return new UdfRuntime(module, configJson, detector, config);
    }

    /** Every UDF built into this host, by name: what it does, its version, sha256 and size. */
    public static List<BundledUdf> bundledUdfs() {
        return BundledUdfs.names().stream().map(BundledUdfs::describe).toList();
    }

    public static Set<String> bundledNames() {
        return BundledUdfs.names();
    }

    /**
     * Loads a module deployed at run time: parses it, checks its imports and exports against the ABI, compiles it
     * to JVM bytecode (never the interpreter), then starts one throwaway instance inside the time budget to run its
     * start function, ask its {@code abi_version} and call its {@code init}. Costs a compile (tens to hundreds of
     * milliseconds); do it once per module and JVM and share the runtime.
     *
     * @throws UdfDeploymentException with a one-line reason when the module is malformed, unlinkable, built for
     *     another ABI version, too large for the memory cap, or its start function or init fails or overruns
     */
    public static UdfRuntime load(UdfDeployment deployment, FaceDetector detector, UdfConfig config) {
        UdfModule module = UdfModules.compile(deployment.name(), deployment.version(), deployment.wasm());
        return new UdfRuntime(module, deployment.configJson(), detector, config);
    }

    public UdfInfo info() {
        return module.info();
    }

    /**
     * Whether this UDF keeps per-camera state (its module imports the host's state functions): its frames must then
     * reach it one camera at a time, in order. A UDF without state may process any frame on any thread.
     */
    public boolean keepsState() {
        return module.keepsState();
    }

    /** Provenance of the model this runtime's host calls run, for the events it produces. */
    public ModelInfo model() {
        return detector.model();
    }

    /**
     * A new instance for the calling thread. Its Wasm state is created on its first frame, inside that frame's time
     * budget, so a start function that misbehaves fails a frame instead of the caller.
     */
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
        return newHostFunctions(new MetricsRecorder());
    }

    HostFunctions newHostFunctions(MetricsRecorder metrics) {
        return new HostFunctions(info().name(), detector, config.detection(), config.images(), udfConfig, metrics);
    }

    /** The name of the export that processes a frame: {@value #PROCESS}, or {@value #ON_FRAME} in older modules. */
    String entryPoint() {
        return entryPoint;
    }

    /** A fresh Wasm instance, its start function run: call under a watch. */
    Instance instantiate(HostFunctions host) {
        Instance.Builder builder = Instance.builder(module.module())
                .withImportValues(host.imports())
                .withMachineFactory(module.machineFactory())
                .withMemoryFactory(ByteArrayMemory::new);
        memoryLimits.ifPresent(builder::withMemoryLimits);
        return builder.build();
    }

    /** Calls the module's optional {@code init}; throws {@link InitFailedException} on a non-zero status. */
    void init(Instance instance) {
        if (hasInit) {
            int status = (int) instance.export(INIT).apply()[0];
            if (status != 0) {
                throw new InitFailedException(status);
            }
        }
    }

    /** The most pages an instance's memory may grow to, when it has memory. */
    Optional<Integer> memoryMaxPages() {
        return memoryLimits.map(MemoryLimits::maximumPages);
    }

    Watchdog watchdog() {
        return watchdog;
    }

    UdfConfig config() {
        return config;
    }

    void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("UdfRuntime for " + info().label() + " is closed");
        }
    }

    /** The module's own initial memory, capped at the configured maximum; a module needing more is refused. */
    private static Optional<MemoryLimits> memoryLimits(UdfModule module, UdfConfig config) {
        return module.module().memorySection()
                .filter(section -> section.memoryCount() > 0)
                .map(section -> {
                    MemoryLimits declared = section.getMemory(0).limits();
                    if (declared.initialPages() > config.memoryMaxPages()) {
                        throw new UdfDeploymentException(module.info().label() + " needs " + declared.initialPages()
                                + " memory pages at start, the limit is " + config.memoryMaxPages());
                    }
                    return new MemoryLimits(declared.initialPages(),
                            Math.min(declared.maximumPages(), config.memoryMaxPages()));
                });
    }

    /**
     * Starts one instance to prove the module links, speaks this host's ABI version and initialises, all within
     * one frame's time budget: a start function or init that never returns is refused, not left running.
     */
    private void probe() {
        String label = info().label();
        Watchdog.Watch watch = watchdog.start(config.timeBudget());
        String phase = "its start function";
        RuntimeException failure = null;
        long version = HostFunctions.ABI_VERSION;
        try {
            Instance probe = instantiate(newHostFunctions());
            phase = ABI_VERSION;
            version = probe.export(ABI_VERSION).apply()[0];
            if (version == HostFunctions.ABI_VERSION) {
                phase = INIT;
                init(probe);
            }
        } catch (RuntimeException e) {
            failure = e;
        }
        boolean expired = watch.stop();
        if (expired) {
            throw new UdfDeploymentException(label + " ran past its time budget of " + config.timeBudget().toMillis()
                    + " ms in " + phase + " and was interrupted");
        }
        if (failure != null) {
            throw refusal(label, phase, failure);
        }
        if (version != HostFunctions.ABI_VERSION) {
            throw new UdfDeploymentException(label + " targets UDF ABI version " + version
                    + ", this host speaks version " + HostFunctions.ABI_VERSION);
        }
    }

    private static RuntimeException refusal(String label, String phase, RuntimeException failure) {
        if (failure instanceof InitFailedException initFailed) {
            return new UdfDeploymentException(label + " init returned error status " + initFailed.status());
        }
        if (failure instanceof UdfAbiException) {
            return new UdfDeploymentException(label + " broke the ABI in " + phase + ": " + failure.getMessage(),
                    failure);
        }
        if (failure instanceof ChicoryInterruptedException) {
            Thread.currentThread().interrupt();
            return new CancellationException("interrupted while loading " + label);
        }
        if (failure instanceof ChicoryException) {
            return new UdfDeploymentException(label + " trapped in " + phase + ": " + failure.getMessage(), failure);
        }
        return failure;
    }

    private String findEntryPoint() {
        if (requireExport(PROCESS, PROCESS_TYPE, false)) {
            return PROCESS;
        }
        if (requireExport(ON_FRAME, PROCESS_TYPE, false)) {
            return ON_FRAME;
        }
        throw new UdfDeploymentException(info().label() + " does not export function " + PROCESS
                + " (or its older name " + ON_FRAME + ")");
    }

    /** Whether the module exports the function; a missing required export or a wrong type refuses the module. */
    private boolean requireExport(String export, FunctionType expected, boolean required) {
        WasmModule wasm = module.module();
        ExportSection exports = wasm.exportSection();
        for (int i = 0; i < exports.exportCount(); i++) {
            Export candidate = exports.getExport(i);
            if (candidate.name().equals(export) && candidate.exportType() == ExternalType.FUNCTION) {
                FunctionType actual = functionType(wasm, candidate.index());
                if (!actual.equals(expected)) {
                    throw new UdfDeploymentException(info().label() + " exports " + export + " as "
                            + UdfModules.describe(actual) + ", the ABI needs " + UdfModules.describe(expected));
                }
                return true;
            }
        }
        if (required) {
            throw new UdfDeploymentException(info().label() + " does not export function " + export);
        }
        return false;
    }

    private FunctionType functionType(WasmModule wasm, int functionIndex) {
        int imported = wasm.importSection().count(ExternalType.FUNCTION);
        if (functionIndex < imported) {
            throw new UdfDeploymentException(info().label() + " re-exports imported function " + functionIndex
                    + " as a UDF entry point");
        }
        return wasm.typeSection().getType(wasm.functionSection().getFunctionType(functionIndex - imported));
    }

    /** The module's {@code init} returned a status other than 0. */
    static final class InitFailedException extends RuntimeException {

        private final int status;

        InitFailedException(int status) {
            super("init returned error status " + status, null, false, false);
            this.status = status;
        }

        int status() {
            return status;
        }
    }
}
