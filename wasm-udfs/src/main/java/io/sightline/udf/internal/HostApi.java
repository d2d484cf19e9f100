package io.sightline.udf.internal;

import com.dylibso.chicory.wasm.types.FunctionType;
import com.dylibso.chicory.wasm.types.ValType;
import java.util.List;
import java.util.Optional;

/**
 * The one definition of the host functions of ABI v1 (module {@value HostFunctions#MODULE}): name, parameters, result,
 * documentation and when a function may be called. {@link HostFunctions} builds its imports from this table, and
 * {@link HostApiGenerator} writes the AssemblyScript declarations, the Rust and C SDKs' import lists and ABI.md's table
 * from it, so the host, the docs and the SDKs cannot drift apart.
 */
public final class HostApi {

    /** A Wasm value type as each language spells it. {@code PTR} is an i32 guest address. */
    public enum Type {
        I32(ValType.I32, "i32", "i32", "int32_t"),
        PTR(ValType.I32, "usize", "i32", "int32_t"),
        I64(ValType.I64, "i64", "i64", "int64_t"),
        F32(ValType.F32, "f32", "f32", "float");

        private final ValType wasm;
        private final String assemblyScript;
        private final String rust;
        private final String c;

        Type(ValType wasm, String assemblyScript, String rust, String c) {
            this.wasm = wasm;
            this.assemblyScript = assemblyScript;
            this.rust = rust;
            this.c = c;
        }

        public ValType wasm() {
            return wasm;
        }

        public String wat() {
            return wasm.toString().toLowerCase();
        }

        public String assemblyScript() {
            return assemblyScript;
        }

        public String rust() {
            return rust;
        }

        public String c() {
            return c;
        }
    }

    /** When a guest may call a function. */
    public enum Availability {
        /** In the start function, {@code init} and {@code process}. */
        ALWAYS("always"),
        /** Only while {@code process} runs; elsewhere the call fails with {@code UDF_ABI}. */
        PROCESS("process");

        private final String label;

        Availability(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    public record Param(String name, Type type) {}

    /** One host function. */
    public record Function(String name, List<Param> params, Optional<Type> result, String doc,
            Availability availability) {

        public FunctionType type() {
            return FunctionType.of(params.stream().map(p -> p.type().wasm()).toList(),
                    result.map(type -> List.of(type.wasm())).orElse(List.of()));
        }
    }

    private static final Type I32 = Type.I32;
    private static final Type PTR = Type.PTR;
    private static final Type I64 = Type.I64;
    private static final Type F32 = Type.F32;

    public static final List<Function> FUNCTIONS = List.of(
            // Frame metadata
            process("frame_image", I32, "handle of the frame's decoded image (decoded on first use)",
                    p("frame", I32)),
            process("frame_captured_at", I64, "capture time of the frame, epoch milliseconds", p("frame", I32)),
            process("frame_timestamp", I64, "record time of the frame, epoch milliseconds: the capture time the "
                    + "producer stamped (a UDF has no wall clock, so replays are deterministic)", p("frame", I32)),
            process("frame_camera_id", I32, "writes up to `cap` UTF-8 bytes of the camera id at `ptr`; returns its "
                    + "full length", p("frame", I32), p("ptr", PTR), p("cap", I32)),
            process("frame_id", I32, "writes up to `cap` UTF-8 bytes of the frame id at `ptr`; returns its full "
                    + "length", p("frame", I32), p("ptr", PTR), p("cap", I32)),
            process("frame_width", I32, "width of the original frame in pixels", p("frame", I32)),
            process("frame_height", I32, "height of the original frame in pixels", p("frame", I32)),
            // Images
            process("image_width", I32, "width of the image in pixels", p("image", I32)),
            process("image_height", I32, "height of the image in pixels", p("image", I32)),
            process("image_crop", I32, "a new image holding the box, clipped to the image; returns its handle",
                    p("image", I32), p("x1", F32), p("y1", F32), p("x2", F32), p("y2", F32)),
            process("image_resize", I32, "a new image of `width` x `height` pixels, bilinear; returns its handle",
                    p("image", I32), p("width", I32), p("height", I32)),
            process("image_blur", null, "blurs the box in place (three box-blur passes of `radius` pixels, close to "
                    + "a Gaussian); pixels outside the box are unchanged",
                    p("image", I32), p("x1", F32), p("y1", F32), p("x2", F32), p("y2", F32), p("radius", F32)),
            process("image_pixels", I32, "writes up to `cap` bytes of the image as RGBA, row by row, at `ptr`; "
                    + "returns the full length (width * height * 4)", p("image", I32), p("ptr", PTR), p("cap", I32)),
            // Inference
            process("detect_faces", I32, "runs the face detector (once per image and `min_face` in a frame), keeps "
                    + "the result, returns the count; `min_face <= 0` uses the host's configured minimum",
                    p("image", I32), p("min_face", F32)),
            process("face_get", null, "writes face `index` of the last `detect_faces` as a face record at `ptr`",
                    p("index", I32), p("ptr", PTR)),
            // Drawing
            process("draw_rect", null, "outlines the box with lines `thickness` pixels wide, inside the box; "
                    + "`rgb` = `0xRRGGBB`", p("image", I32), p("x1", F32), p("y1", F32), p("x2", F32), p("y2", F32),
                    p("rgb", I32), p("thickness", F32)),
            process("draw_point", null, "fills a disc", p("image", I32), p("x", F32), p("y", F32),
                    p("radius", F32), p("rgb", I32)),
            process("draw_label", null, "writes `len` UTF-8 bytes of text in `rgb` on a black box whose top-left "
                    + "corner is (`x`, `y`); text height scales with the image", p("image", I32), p("x", F32),
                    p("y", F32), p("ptr", PTR), p("len", I32), p("rgb", I32)),
            // Outputs
            process("emit_detections", null, "reports `count` face records read from `ptr`; calls accumulate",
                    p("ptr", PTR), p("count", I32)),
            process("emit_image", null, "chooses the annotated output; encoded as PNG (JPEG when too large) when "
                    + "`process` returns", p("image", I32)),
            process("emit_image_to", null, "emits the image to the named output, encoded like the annotated image "
                    + "when `process` returns", p("name_ptr", PTR), p("name_len", I32), p("image", I32)),
            process("emit_record", null, "emits `len` bytes of JSON at `ptr` to the named output",
                    p("name_ptr", PTR), p("name_len", I32), p("ptr", PTR), p("len", I32)),
            // Metrics
            process("counter_add", null, "adds `delta` to the named counter of this instance",
                    p("name_ptr", PTR), p("name_len", I32), p("delta", I64)),
            process("timer_record", null, "records one duration of `nanos` nanoseconds in the named timer",
                    p("name_ptr", PTR), p("name_len", I32), p("nanos", I64)),
            // State
            process("state_get", I32, "writes up to `cap` bytes of the value of `key` at `buf_ptr`; returns its full "
                    + "length, or -1 when the key has no value", p("key_ptr", PTR), p("key_len", I32),
                    p("buf_ptr", PTR), p("cap", I32)),
            process("state_put", null, "sets the value of `key`; applied only if the frame succeeds",
                    p("key_ptr", PTR), p("key_len", I32), p("val_ptr", PTR), p("val_len", I32)),
            process("state_delete", null, "removes `key`; applied only if the frame succeeds",
                    p("key_ptr", PTR), p("key_len", I32)),
            // Anywhere
            always("log", null, "logs `len` UTF-8 bytes; `level` 0 debug, 1 info, 2 warn, 3 error",
                    p("level", I32), p("ptr", PTR), p("len", I32)),
            always("udf_config", I32, "writes up to `cap` bytes of the UDF's config JSON at `ptr`; returns its full "
                    + "length (call with `cap` 0 to learn it)", p("ptr", PTR), p("cap", I32)));

    private HostApi() {}

    public static Optional<Function> byName(String name) {
        return FUNCTIONS.stream().filter(function -> function.name().equals(name)).findFirst();
    }

    private static Function process(String name, Type result, String doc, Param... params) {
        return new Function(name, List.of(params), Optional.ofNullable(result), doc, Availability.PROCESS);
    }

    private static Function always(String name, Type result, String doc, Param... params) {
        return new Function(name, List.of(params), Optional.ofNullable(result), doc, Availability.ALWAYS);
    }

    private static Param p(String name, Type type) {
        return new Param(name, type);
    }
}
