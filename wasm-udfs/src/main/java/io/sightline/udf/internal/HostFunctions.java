package io.sightline.udf.internal;

import static com.dylibso.chicory.wasm.types.ValType.F32;
import static com.dylibso.chicory.wasm.types.ValType.I32;
import static com.dylibso.chicory.wasm.types.ValType.I64;

import com.dylibso.chicory.runtime.ChicoryInterruptedException;
import com.dylibso.chicory.runtime.HostFunction;
import com.dylibso.chicory.runtime.ImportValues;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Memory;
import com.dylibso.chicory.runtime.WasmFunctionHandle;
import com.dylibso.chicory.wasm.types.FunctionType;
import com.dylibso.chicory.wasm.types.ValType;
import io.sightline.model.DetectionOptions;
import io.sightline.model.Face;
import io.sightline.model.FaceDetector;
import io.sightline.udf.FrameInput;
import java.awt.Color;
import java.awt.Graphics2D;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host side of the UDF ABI (module {@value #MODULE}, version {@value #ABI_VERSION}; see ABI.md). One set per
 * UDF instance, bound to the frame being processed for the length of one {@code on_frame} call. Only
 * {@code udf_config} and {@code log} also work outside it (start function, {@code init}).
 */
public final class HostFunctions {

    public static final String MODULE = "sightline";
    public static final int ABI_VERSION = 1;

    private static final int MAX_LOG_BYTES = 4096;
    private static final int MAX_FACES_PER_EMIT = 4096;
    private static final List<ValType> NONE = List.of();

    private static final Map<String, FunctionType> SIGNATURES = Arrays.stream(
                    new HostFunctions("signatures", null, null, new byte[0]).imports().functions())
            .collect(Collectors.toUnmodifiableMap(function -> function.name(), function -> function.functionType()));

    private final FaceDetector detector;
    private final DetectionOptions defaultDetection;
    private final byte[] config;
    private final Logger guestLog;
    private FrameContext frame;
    private Watchdog.Watch watch;

    /** @param config the UDF's config JSON as UTF-8, read by the guest through {@code udf_config} */
    public HostFunctions(String udfName, FaceDetector detector, DetectionOptions defaultDetection, byte[] config) {
        this.detector = detector;
        this.defaultDetection = defaultDetection;
        this.config = config;
        this.guestLog = LoggerFactory.getLogger("io.sightline.udf.guest." + udfName);
    }

    /** Every function this host provides, by name: what a module may import from {@value #MODULE}. */
    public static Map<String, FunctionType> signatures() {
        return SIGNATURES;
    }

    /** Binds the functions to one frame's call; the watch is paused while the detector runs. */
    public void begin(FrameContext frame, Watchdog.Watch watch) {
        this.frame = frame;
        this.watch = watch;
    }

    public void end() {
        frame = null;
        watch = null;
    }

    public ImportValues imports() {
        return ImportValues.builder()
                .addFunction(
                        function("frame_image", List.of(I32), List.of(I32),
                                (instance, args) -> i32(current().frameImageHandle((int) args[0]))),
                        function("frame_captured_at", List.of(I32), List.of(I64),
                                (instance, args) -> new long[] {current().frame((int) args[0]).capturedAtMillis()}),
                        function("frame_camera_id", List.of(I32, I32, I32), List.of(I32), this::frameCameraId),
                        function("image_width", List.of(I32), List.of(I32),
                                (instance, args) -> i32(current().image((int) args[0]).pixels().getWidth())),
                        function("image_height", List.of(I32), List.of(I32),
                                (instance, args) -> i32(current().image((int) args[0]).pixels().getHeight())),
                        function("detect_faces", List.of(I32, F32), List.of(I32), this::detectFaces),
                        function("face_get", List.of(I32, I32), NONE, this::faceGet),
                        function("draw_rect", List.of(I32, F32, F32, F32, F32, I32, F32), NONE, this::drawRect),
                        function("draw_point", List.of(I32, F32, F32, F32, I32), NONE, this::drawPoint),
                        function("emit_detections", List.of(I32, I32), NONE, this::emitDetections),
                        function("emit_image", List.of(I32), NONE, (instance, args) -> {
                            current().emitImage((int) args[0]);
                            return null;
                        }),
                        function("log", List.of(I32, I32, I32), NONE, this::log),
                        function("udf_config", List.of(I32, I32), List.of(I32), this::udfConfig))
                .build();
    }

    private long[] udfConfig(Instance instance, long... args) {
        int ptr = (int) args[0];
        int capacity = (int) args[1];
        if (capacity < 0) {
            throw new UdfAbiException("udf_config capacity must not be negative, got " + capacity);
        }
        int written = Math.min(config.length, capacity);
        if (written > 0) {
            checkRange(instance.memory(), ptr, written);
            instance.memory().write(ptr, config, 0, written);
        }
        return i32(config.length);
    }

    private long[] frameCameraId(Instance instance, long... args) {
        byte[] id = current().frame((int) args[0]).cameraId().getBytes(StandardCharsets.UTF_8);
        int ptr = (int) args[1];
        int capacity = (int) args[2];
        if (capacity < 0) {
            throw new UdfAbiException("frame_camera_id capacity must not be negative, got " + capacity);
        }
        int written = Math.min(id.length, capacity);
        checkRange(instance.memory(), ptr, written);
        instance.memory().write(ptr, id, 0, written);
        return i32(id.length);
    }

    private long[] detectFaces(Instance instance, long... args) {
        FrameContext context = current();
        FrameContext.HostImage image = context.image((int) args[0]);
        DetectionOptions options = detectionOptions(f32(args[1]));
        watch.pause();
        if (Thread.currentThread().isInterrupted()) {
            // Out of budget or shutting down: skip a detection whose result would be thrown away.
            throw new ChicoryInterruptedException("interrupted before detect_faces");
        }
        long start = System.nanoTime();
        List<Face> faces;
        try {
            faces = detector.detect(image.pixels(), options);
        } catch (RuntimeException e) {
            throw new InferenceException(e);
        }
        context.detected(faces, System.nanoTime() - start);
        watch.resume();
        return i32(faces.size());
    }

    private DetectionOptions detectionOptions(float minFace) {
        if (minFace <= 0) {
            return defaultDetection;
        }
        try {
            return new DetectionOptions(minFace);
        } catch (IllegalArgumentException e) {
            throw new UdfAbiException("detect_faces: " + e.getMessage());
        }
    }

    private long[] faceGet(Instance instance, long... args) {
        Face face = current().detectedFace((int) args[0]);
        int ptr = (int) args[1];
        checkRange(instance.memory(), ptr, FaceRecords.BYTES);
        instance.memory().write(ptr, FaceRecords.encode(face));
        return null;
    }

    private long[] drawRect(Instance instance, long... args) {
        Graphics2D g = current().image((int) args[0]).graphics();
        int left = pixel(args[1], "x1");
        int top = pixel(args[2], "y1");
        int right = pixel(args[3], "x2");
        int bottom = pixel(args[4], "y2");
        int thickness = Math.max(1, pixel(args[6], "thickness"));
        int width = right - left;
        int height = bottom - top;
        if (width <= 0 || height <= 0) {
            return null;
        }
        g.setColor(new Color((int) args[5] & 0xFFFFFF));
        g.fillRect(left, top, width, thickness);
        g.fillRect(left, bottom - thickness, width, thickness);
        g.fillRect(left, top, thickness, height);
        g.fillRect(right - thickness, top, thickness, height);
        return null;
    }

    private long[] drawPoint(Instance instance, long... args) {
        Graphics2D g = current().image((int) args[0]).graphics();
        float x = finite(args[1], "x");
        float y = finite(args[2], "y");
        float radius = finite(args[3], "radius");
        if (radius <= 0) {
            return null;
        }
        int diameter = Math.max(1, Math.round(2 * radius));
        g.setColor(new Color((int) args[4] & 0xFFFFFF));
        g.fillOval(Math.round(x - radius), Math.round(y - radius), diameter, diameter);
        return null;
    }

    private long[] emitDetections(Instance instance, long... args) {
        int ptr = (int) args[0];
        int count = (int) args[1];
        if (count < 0 || count > MAX_FACES_PER_EMIT) {
            throw new UdfAbiException("emit_detections count must be 0.." + MAX_FACES_PER_EMIT + ", got " + count);
        }
        int length = count * FaceRecords.BYTES;
        checkRange(instance.memory(), ptr, length);
        current().emit(FaceRecords.decode(instance.memory().readBytes(ptr, length), count));
        return null;
    }

    private long[] log(Instance instance, long... args) {
        int level = (int) args[0];
        int ptr = (int) args[1];
        int length = (int) args[2];
        if (length < 0 || length > MAX_LOG_BYTES) {
            throw new UdfAbiException("log length must be 0.." + MAX_LOG_BYTES + ", got " + length);
        }
        checkRange(instance.memory(), ptr, length);
        String message = new String(instance.memory().readBytes(ptr, length), StandardCharsets.UTF_8);
        String where = "start";
        if (frame != null) {
            FrameInput input = frame.frame(FrameContext.FRAME_HANDLE);
            where = input.cameraId() + " " + input.frameId();
        }
        String format = "[{}] {}";
        switch (level) {
            case 0 -> guestLog.debug(format, where, message);
            case 1 -> guestLog.info(format, where, message);
            case 2 -> guestLog.warn(format, where, message);
            case 3 -> guestLog.error(format, where, message);
            default -> throw new UdfAbiException("log level must be 0..3, got " + level);
        }
        return null;
    }

    private FrameContext current() {
        if (frame == null) {
            throw new UdfAbiException("host functions are only available during on_frame");
        }
        return frame;
    }

    private static void checkRange(Memory memory, int ptr, int length) {
        long end = Integer.toUnsignedLong(ptr) + length;
        if (ptr < 0 || end > (long) memory.pages() * Memory.PAGE_SIZE) {
            throw new UdfAbiException("guest memory range " + Integer.toUnsignedString(ptr) + "+" + length
                    + " is out of bounds");
        }
    }

    private static HostFunction function(
            String name, List<ValType> params, List<ValType> results, WasmFunctionHandle handle) {
        return new HostFunction(MODULE, name, FunctionType.of(params, results), handle);
    }

    private static long[] i32(int value) {
        return new long[] {value};
    }

    private static float f32(long raw) {
        return Float.intBitsToFloat((int) raw);
    }

    private static float finite(long raw, String name) {
        float value = f32(raw);
        if (!Float.isFinite(value)) {
            throw new UdfAbiException(name + " must be finite, got " + value);
        }
        return value;
    }

    private static int pixel(long raw, String name) {
        return Math.round(finite(raw, name));
    }
}
