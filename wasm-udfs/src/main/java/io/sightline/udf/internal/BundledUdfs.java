package io.sightline.udf.internal;

import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Machine;
import com.dylibso.chicory.wasm.WasmModule;
import io.sightline.udf.BundledUdf;
import io.sightline.udf.UdfDeployment;
import io.sightline.udf.UdfInfo;
import io.sightline.udf.bundled.CrowdAlertModule;
import io.sightline.udf.bundled.FaceAnnotateModule;
import io.sightline.udf.bundled.FaceBlurModule;
import io.sightline.udf.bundled.FrameSamplerModule;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Supplier;

/** The UDFs built from this module's AssemblyScript sources and compiled to bytecode at build time. */
public final class BundledUdfs {

    public static final String FACE_ANNOTATE = "face-annotate";
    public static final String FACE_BLUR = "face-blur";
    public static final String CROWD_ALERT = "crowd-alert";
    public static final String FRAME_SAMPLER = "frame-sampler";

    private static final String RESOURCES = "/io/sightline/udf/bundled/";

    /** Each bundled UDF's parsed module and the factory of its build-time compiled machine. */
    private record Compiled(Supplier<WasmModule> module, Function<Instance, Machine> machine) {}

    private static final Map<String, Compiled> COMPILED = new TreeMap<>(Map.of(
            FACE_ANNOTATE, new Compiled(FaceAnnotateModule::load, FaceAnnotateModule::create),
            FACE_BLUR, new Compiled(FaceBlurModule::load, FaceBlurModule::create),
            CROWD_ALERT, new Compiled(CrowdAlertModule::load, CrowdAlertModule::create),
            FRAME_SAMPLER, new Compiled(FrameSamplerModule::load, FrameSamplerModule::create)));

    private BundledUdfs() {}

    public static Set<String> names() {
        return Collections.unmodifiableSet(COMPILED.keySet());
    }

    public static Optional<UdfModule> byName(String name) {
        Compiled compiled = COMPILED.get(name);
        if (compiled == null) {
            return Optional.empty();
        }
        UdfInfo info = new UdfInfo(name, version(name), UdfDeployment.sha256(resource(name + ".wasm")));
        return Optional.of(new UdfModule(info, compiled.module().get(), compiled.machine()));
    }

    public static UdfModule faceAnnotate() {
        return byName(FACE_ANNOTATE).orElseThrow();
    }

    /** What a bundled UDF is, without loading it: for listing. */
    public static BundledUdf describe(String name) {
        if (!COMPILED.containsKey(name)) {
            throw new IllegalArgumentException("no bundled UDF is named " + name);
        }
        byte[] wasm = resource(name + ".wasm");
        return new BundledUdf(new UdfInfo(name, version(name), UdfDeployment.sha256(wasm)), wasm.length,
                property(name + ".description"));
    }

    private static String version(String name) {
        return property(name + ".version");
    }

    private static String property(String key) {
        Properties properties = new Properties();
        try (InputStream in = BundledUdfs.class.getResourceAsStream(RESOURCES + "bundled.properties")) {
            if (in == null) {
                throw new IllegalStateException("bundled.properties is missing from the classpath: broken build");
            }
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String value = properties.getProperty(key);
        if (value == null) {
            throw new IllegalStateException("bundled.properties has no " + key + ": broken build");
        }
        return value;
    }

    private static byte[] resource(String file) {
        try (InputStream in = BundledUdfs.class.getResourceAsStream(RESOURCES + file)) {
            if (in == null) {
                throw new IllegalStateException(file + " is missing from the classpath: broken build");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
