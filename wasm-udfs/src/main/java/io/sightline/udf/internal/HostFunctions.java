package io.sightline.udf.internal;

import static io.sightline.udf.internal.GuestMemory.capacity;
import static io.sightline.udf.internal.GuestMemory.checkRange;
import static io.sightline.udf.internal.GuestMemory.f32;
import static io.sightline.udf.internal.GuestMemory.finite;
import static io.sightline.udf.internal.GuestMemory.i32;
import static io.sightline.udf.internal.GuestMemory.i64;
import static io.sightline.udf.internal.GuestMemory.metricName;
import static io.sightline.udf.internal.GuestMemory.name;
import static io.sightline.udf.internal.GuestMemory.read;
import static io.sightline.udf.internal.GuestMemory.strictUtf8;
import static io.sightline.udf.internal.GuestMemory.text;
import static io.sightline.udf.internal.GuestMemory.utf8;
import static io.sightline.udf.internal.GuestMemory.writeCapped;

import com.dylibso.chicory.runtime.ChicoryInterruptedException;
import com.dylibso.chicory.runtime.HostFunction;
import com.dylibso.chicory.runtime.ImportValues;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.WasmFunctionHandle;
import com.dylibso.chicory.wasm.types.FunctionType;
import io.sightline.model.DetectionOptions;
import io.sightline.model.Detections;
import io.sightline.model.Face;
import io.sightline.model.FaceDetector;
import io.sightline.udf.FrameInput;
import io.sightline.udf.ImageLimits;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host side of the UDF ABI (module {@value #MODULE}, version {@value #ABI_VERSION}; see ABI.md). Names and types
 * come from {@link HostApi}; this class holds what each function does. One set per UDF instance, bound to the frame
 * being processed for the length of one {@code process} call. Only the functions {@link HostApi} marks as
 * {@code ALWAYS} also work outside it (start function, {@code init}).
 */
public final class HostFunctions {

    public static final String MODULE = "sightline";
    public static final int ABI_VERSION = 1;

    static final int MAX_LOG_BYTES = 4096;
    static final int MAX_FACES_PER_EMIT = 4096;
    static final int MAX_LABEL_BYTES = 256;
    static final int MAX_RECORD_BYTES = 1024 * 1024;
    static final int MAX_STATE_KEY_BYTES = 256;
    static final int MAX_STATE_VALUE_BYTES = 64 * 1024;

    private static final Map<String, FunctionType> SIGNATURES = HostApi.FUNCTIONS.stream()
            .collect(Collectors.toUnmodifiableMap(HostApi.Function::name, HostApi.Function::type));

    private final String udfName;
    private final FaceDetector detector;
    private final DetectionOptions defaultDetection;
    private final ImageLimits imageLimits;
    private final byte[] config;
    private final MetricsRecorder metrics;
    private final Logger guestLog;
    private final Map<String, WasmFunctionHandle> handlers = new HashMap<>();
    private FrameContext frame;
    private Watchdog.Watch watch;

    /**
     * @param config  the UDF's config JSON as UTF-8, read by the guest through {@code udf_config}
     * @param metrics where {@code counter_add} and {@code timer_record} go
     */
    public HostFunctions(String udfName, FaceDetector detector, DetectionOptions defaultDetection,
            ImageLimits imageLimits, byte[] config, MetricsRecorder metrics) {
        this.udfName = udfName;
        this.detector = detector;
        this.defaultDetection = defaultDetection;
        this.imageLimits = imageLimits;
        this.config = config;
        this.metrics = metrics;
        this.guestLog = LoggerFactory.getLogger("io.sightline.udf.guest." + udfName);
        registerHandlers();
    }

    /** Every function this host provides, by name: what a module may import from {@value #MODULE}. */
    public static Map<String, FunctionType> signatures() {
        return SIGNATURES;
    }

    /** Binds the functions to one frame's call; the watch is paused while the host decodes or detects. */
    public void begin(FrameContext frame, Watchdog.Watch watch) {
        this.frame = frame;
        this.watch = watch;
    }

    public void end() {
        frame = null;
        watch = null;
    }

    public ImportValues imports() {
        HostFunction[] functions = HostApi.FUNCTIONS.stream().map(function -> {
            WasmFunctionHandle handle = handlers.get(function.name());
            if (handle == null) {
                throw new IllegalStateException("HostApi declares " + function.name() + " but the host has no code "
                        + "for it");
            }
            return new HostFunction(MODULE, function.name(), function.type(), handle);
        }).toArray(HostFunction[]::new);
        return ImportValues.builder().addFunction(functions).build();
    }

    private void registerHandlers() {
        on("frame_image", (instance, args) -> i32(current().frameImageHandle((int) args[0])));
        on("frame_captured_at", (instance, args) -> i64(current().frame((int) args[0]).capturedAtMillis()));
        on("frame_timestamp", (instance, args) -> i64(current().frame((int) args[0]).capturedAtMillis()));
        on("frame_camera_id", (instance, args) -> writeCapped(instance, "frame_camera_id",
                utf8(current().frame((int) args[0]).cameraId()), (int) args[1], (int) args[2]));
        on("frame_id", (instance, args) -> writeCapped(instance, "frame_id",
                utf8(current().frame((int) args[0]).frameId()), (int) args[1], (int) args[2]));
        on("frame_width", (instance, args) -> i32(frameSize((int) args[0], true)));
        on("frame_height", (instance, args) -> i32(frameSize((int) args[0], false)));
        on("image_width", (instance, args) -> i32(image((int) args[0]).pixels().getWidth()));
        on("image_height", (instance, args) -> i32(image((int) args[0]).pixels().getHeight()));
        on("image_crop", this::imageCrop);
        on("image_resize", this::imageResize);
        on("image_blur", this::imageBlur);
        on("image_pixels", this::imagePixels);
        on("detect_faces", this::detectFaces);
        on("face_get", this::faceGet);
        on("draw_rect", (instance, args) -> DrawCalls.rect(image((int) args[0]), args));
        on("draw_point", (instance, args) -> DrawCalls.point(image((int) args[0]), args));
        on("draw_label", (instance, args) -> DrawCalls.label(instance, image((int) args[0]), args));
        on("emit_detections", this::emitDetections);
        on("emit_image", (instance, args) -> {
            image((int) args[0]);
            current().emitImage((int) args[0]);
            return null;
        });
        on("emit_image_to", (instance, args) -> {
            String output = name(instance, "output", (int) args[0], (int) args[1]);
            image((int) args[2]);
            current().emitTo(output, (int) args[2]);
            return null;
        });
        on("emit_record", this::emitRecord);
        on("counter_add", (instance, args) -> {
            String name = metricName(instance, (int) args[0], (int) args[1]);
            current();
            metrics.add(name, args[2]);
            return null;
        });
        on("timer_record", (instance, args) -> {
            String name = metricName(instance, (int) args[0], (int) args[1]);
            current();
            metrics.record(name, args[2]);
            return null;
        });
        on("state_get", this::stateGet);
        on("state_put", this::statePut);
        on("state_delete", (instance, args) -> {
            current().state().delete(stateKey(instance, (int) args[0], (int) args[1]));
            return null;
        });
        on("log", this::log);
        on("udf_config", (instance, args) -> writeCapped(instance, "udf_config", config, (int) args[0],
                (int) args[1]));
    }

    private void on(String name, WasmFunctionHandle handle) {
        if (HostApi.byName(name).isEmpty()) {
            throw new IllegalStateException(name + " is not declared in HostApi");
        }
        handlers.put(name, handle);
    }

    /** The image behind a handle; the frame's own image is decoded here on first use, off the UDF's clock. */
    private FrameContext.HostImage image(int handle) {
        FrameContext context = current();
        FrameImage shared = context.frameImage();
        if (handle == FrameContext.FRAME_IMAGE_HANDLE && !shared.isDecoded()) {
            watch.pause();
            long start = System.nanoTime();
            try {
                shared.decoded();
            } finally {
                context.decoded(System.nanoTime() - start);
                watch.resume();
            }
        }
        return context.image(handle);
    }

    private int frameSize(int frameHandle, boolean width) {
        FrameInput input = current().frame(frameHandle);
        if (input.declaresSize()) {
            return width ? input.width() : input.height();
        }
        image(FrameContext.FRAME_IMAGE_HANDLE);
        DecodedImage decoded = current().frameImage().decoded();
        return width ? decoded.width() : decoded.height();
    }

    private long[] imageCrop(Instance instance, long... args) {
        BufferedImage source = image((int) args[0]).pixels();
        Rectangle region = ImageOps.clip(source, finite(args[1], "x1"), finite(args[2], "y1"),
                finite(args[3], "x2"), finite(args[4], "y2"));
        if (region == null) {
            throw new UdfAbiException("image_crop box is empty or outside the " + source.getWidth() + "x"
                    + source.getHeight() + " image");
        }
        return i32(current().add(ImageOps.crop(source, region)));
    }

    private long[] imageResize(Instance instance, long... args) {
        BufferedImage source = image((int) args[0]).pixels();
        int width = (int) args[1];
        int height = (int) args[2];
        if (width < 1 || height < 1 || (long) width * height > imageLimits.maxDecodePixels()) {
            throw new UdfAbiException("image_resize to " + width + "x" + height + ": both sides must be at least 1 "
                    + "and the image at most " + imageLimits.maxDecodePixels() + " pixels");
        }
        return i32(current().add(ImageOps.resize(source, width, height)));
    }

    private long[] imageBlur(Instance instance, long... args) {
        FrameContext.HostImage target = image((int) args[0]);
        float radius = finite(args[5], "radius");
        if (radius < 0 || radius > ImageOps.MAX_BLUR_RADIUS) {
            throw new UdfAbiException("image_blur radius must be 0.." + ImageOps.MAX_BLUR_RADIUS + ", got " + radius);
        }
        Rectangle region = ImageOps.clip(target.pixels(), finite(args[1], "x1"), finite(args[2], "y1"),
                finite(args[3], "x2"), finite(args[4], "y2"));
        int pixels = Math.round(radius);
        if (region != null && pixels > 0) {
            ImageOps.blur(target.canvas(), region, pixels);
        }
        return null;
    }

    private long[] imagePixels(Instance instance, long... args) {
        BufferedImage source = image((int) args[0]).pixels();
        long length = 4L * source.getWidth() * source.getHeight();
        if (length > Integer.MAX_VALUE) {
            throw new UdfAbiException("image_pixels: a " + source.getWidth() + "x" + source.getHeight()
                    + " image does not fit in 32-bit memory");
        }
        int capacity = capacity("image_pixels", (int) args[2]);
        int written = (int) Math.min(length, capacity);
        if (written > 0) {
            checkRange(instance.memory(), (int) args[1], written);
            instance.memory().write((int) args[1], ImageOps.rgba(source, written));
        }
        return i32((int) length);
    }

    private long[] detectFaces(Instance instance, long... args) {
        FrameContext context = current();
        FrameContext.HostImage image = image((int) args[0]);
        DetectionOptions options = detectionOptions(f32(args[1]));
        FrameImage shared = context.frameImage();
        Optional<Detections> known = shared.detected(detector, image, options);
        if (known.isPresent()) {
            context.detected(known.get(), 0, false);
            return i32(known.get().faces().size());
        }
        watch.pause();
        if (Thread.currentThread().isInterrupted()) {
            // Out of budget or shutting down: skip a detection whose result would be thrown away.
            throw new ChicoryInterruptedException("interrupted before detect_faces");
        }
        long start = System.nanoTime();
        Detections found;
        try {
            // Faces and model taken together: a model switch between two calls cannot mislabel the faces.
            found = detector.detectWithModel(image.pixels(), options);
        } catch (RuntimeException e) {
            throw new InferenceException(e);
        }
        shared.remember(detector, image, options, found);
        context.detected(found, System.nanoTime() - start, true);
        watch.resume();
        return i32(found.faces().size());
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

    private long[] emitRecord(Instance instance, long... args) {
        String output = name(instance, "output", (int) args[0], (int) args[1]);
        int length = (int) args[3];
        if (length < 0 || length > MAX_RECORD_BYTES) {
            throw new UdfAbiException("emit_record length must be 0.." + MAX_RECORD_BYTES + ", got " + length);
        }
        current().emitRecord(output, read(instance, (int) args[2], length));
        return null;
    }

    private long[] stateGet(Instance instance, long... args) {
        String key = stateKey(instance, (int) args[0], (int) args[1]);
        int capacity = capacity("state_get", (int) args[3]);
        Optional<byte[]> value = current().state().get(key);
        if (value.isEmpty()) {
            return i32(-1);
        }
        return writeCapped(instance, "state_get", value.get(), (int) args[2], capacity);
    }

    private long[] statePut(Instance instance, long... args) {
        String key = stateKey(instance, (int) args[0], (int) args[1]);
        int length = (int) args[3];
        if (length < 0 || length > MAX_STATE_VALUE_BYTES) {
            throw new UdfAbiException("state_put value must be 0.." + MAX_STATE_VALUE_BYTES + " bytes, got "
                    + length);
        }
        current().state().put(key, read(instance, (int) args[2], length));
        return null;
    }

    /** Keys are the UDF's own: scoped by its name, so the stages of a chain cannot overwrite each other's. */
    private String stateKey(Instance instance, int ptr, int length) {
        current();
        if (length < 1 || length > MAX_STATE_KEY_BYTES) {
            throw new UdfAbiException("state key must be 1.." + MAX_STATE_KEY_BYTES + " bytes, got " + length);
        }
        return udfName + "/" + strictUtf8(read(instance, ptr, length), "state key");
    }

    private long[] log(Instance instance, long... args) {
        int level = (int) args[0];
        String message = text(instance, "log", (int) args[1], (int) args[2], MAX_LOG_BYTES);
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
            throw new UdfAbiException("this host function is only available during process");
        }
        return frame;
    }
}
