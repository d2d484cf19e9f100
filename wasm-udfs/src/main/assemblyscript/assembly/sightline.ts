// Sightline UDF ABI, version 1: the host functions a UDF imports from module "sightline".
// The contract is described in wasm-udfs/ABI.md; the host implementation is io.sightline.udf.internal.HostFunctions.
// Images are host-side handles: pixels cross into Wasm memory only when a UDF asks (image_pixels).

export const ABI_VERSION: i32 = 1;

/** Return values of process. Any other value is an error code reported by the UDF. */
export const STATUS_EMITTED: i32 = 0;
export const STATUS_DROPPED: i32 = 1;

/** A face record: x1, y1, x2, y2, score, then five landmarks as (x, y). All f32, little endian. */
export const FACE_FLOATS: i32 = 15;
export const FACE_BYTES: i32 = FACE_FLOATS * 4;
export const FACE_X1: i32 = 0;
export const FACE_Y1: i32 = 4;
export const FACE_X2: i32 = 8;
export const FACE_Y2: i32 = 12;
export const FACE_SCORE: i32 = 16;
export const FACE_LANDMARKS: i32 = 20;
export const LANDMARKS: i32 = 5;

export const LOG_DEBUG: i32 = 0;
export const LOG_INFO: i32 = 1;
export const LOG_WARN: i32 = 2;
export const LOG_ERROR: i32 = 3;

// <generated-host-imports> from io.sightline.udf.internal.HostApi; do not edit by hand
/** handle of the frame's decoded image (decoded on first use) */
@external("sightline", "frame_image")
export declare function frame_image(frame: i32): i32;

/** capture time of the frame, epoch milliseconds */
@external("sightline", "frame_captured_at")
export declare function frame_captured_at(frame: i32): i64;

/** record time of the frame, epoch milliseconds: the capture time the producer stamped (a UDF has no wall clock, so replays are deterministic) */
@external("sightline", "frame_timestamp")
export declare function frame_timestamp(frame: i32): i64;

/** writes up to `cap` UTF-8 bytes of the camera id at `ptr`; returns its full length */
@external("sightline", "frame_camera_id")
export declare function frame_camera_id(frame: i32, ptr: usize, cap: i32): i32;

/** writes up to `cap` UTF-8 bytes of the frame id at `ptr`; returns its full length */
@external("sightline", "frame_id")
export declare function frame_id(frame: i32, ptr: usize, cap: i32): i32;

/** width of the original frame in pixels */
@external("sightline", "frame_width")
export declare function frame_width(frame: i32): i32;

/** height of the original frame in pixels */
@external("sightline", "frame_height")
export declare function frame_height(frame: i32): i32;

/** width of the image in pixels */
@external("sightline", "image_width")
export declare function image_width(image: i32): i32;

/** height of the image in pixels */
@external("sightline", "image_height")
export declare function image_height(image: i32): i32;

/** a new image holding the box, clipped to the image; returns its handle */
@external("sightline", "image_crop")
export declare function image_crop(image: i32, x1: f32, y1: f32, x2: f32, y2: f32): i32;

/** a new image of `width` x `height` pixels, bilinear; returns its handle */
@external("sightline", "image_resize")
export declare function image_resize(image: i32, width: i32, height: i32): i32;

/** blurs the box in place (three box-blur passes of `radius` pixels, close to a Gaussian); pixels outside the box are unchanged */
@external("sightline", "image_blur")
export declare function image_blur(image: i32, x1: f32, y1: f32, x2: f32, y2: f32, radius: f32): void;

/** writes up to `cap` bytes of the image as RGBA, row by row, at `ptr`; returns the full length (width * height * 4) */
@external("sightline", "image_pixels")
export declare function image_pixels(image: i32, ptr: usize, cap: i32): i32;

/** runs the face detector (once per image and `min_face` in a frame), keeps the result, returns the count; `min_face <= 0` uses the host's configured minimum */
@external("sightline", "detect_faces")
export declare function detect_faces(image: i32, min_face: f32): i32;

/** writes face `index` of the last `detect_faces` as a face record at `ptr` */
@external("sightline", "face_get")
export declare function face_get(index: i32, ptr: usize): void;

/** outlines the box with lines `thickness` pixels wide, inside the box; `rgb` = `0xRRGGBB` */
@external("sightline", "draw_rect")
export declare function draw_rect(image: i32, x1: f32, y1: f32, x2: f32, y2: f32, rgb: i32, thickness: f32): void;

/** fills a disc */
@external("sightline", "draw_point")
export declare function draw_point(image: i32, x: f32, y: f32, radius: f32, rgb: i32): void;

/** writes `len` UTF-8 bytes of text in `rgb` on a black box whose top-left corner is (`x`, `y`); text height scales with the image */
@external("sightline", "draw_label")
export declare function draw_label(image: i32, x: f32, y: f32, ptr: usize, len: i32, rgb: i32): void;

/** reports `count` face records read from `ptr`; calls accumulate */
@external("sightline", "emit_detections")
export declare function emit_detections(ptr: usize, count: i32): void;

/** chooses the annotated output; encoded as PNG (JPEG when too large) when `process` returns */
@external("sightline", "emit_image")
export declare function emit_image(image: i32): void;

/** emits the image to the named output, encoded like the annotated image when `process` returns */
@external("sightline", "emit_image_to")
export declare function emit_image_to(name_ptr: usize, name_len: i32, image: i32): void;

/** emits `len` bytes of JSON at `ptr` to the named output */
@external("sightline", "emit_record")
export declare function emit_record(name_ptr: usize, name_len: i32, ptr: usize, len: i32): void;

/** adds `delta` to the named counter of this instance */
@external("sightline", "counter_add")
export declare function counter_add(name_ptr: usize, name_len: i32, delta: i64): void;

/** records one duration of `nanos` nanoseconds in the named timer */
@external("sightline", "timer_record")
export declare function timer_record(name_ptr: usize, name_len: i32, nanos: i64): void;

/** writes up to `cap` bytes of the value of `key` at `buf_ptr`; returns its full length, or -1 when the key has no value */
@external("sightline", "state_get")
export declare function state_get(key_ptr: usize, key_len: i32, buf_ptr: usize, cap: i32): i32;

/** sets the value of `key`; applied only if the frame succeeds */
@external("sightline", "state_put")
export declare function state_put(key_ptr: usize, key_len: i32, val_ptr: usize, val_len: i32): void;

/** removes `key`; applied only if the frame succeeds */
@external("sightline", "state_delete")
export declare function state_delete(key_ptr: usize, key_len: i32): void;

/** logs `len` UTF-8 bytes; `level` 0 debug, 1 info, 2 warn, 3 error */
@external("sightline", "log")
export declare function log(level: i32, ptr: usize, len: i32): void;

/** writes up to `cap` bytes of the UDF's config JSON at `ptr`; returns its full length (call with `cap` 0 to learn it) */
@external("sightline", "udf_config")
export declare function udf_config(ptr: usize, cap: i32): i32;

// </generated-host-imports>

/** Logs a message. Allocates the UTF-8 copy: keep it off the per-frame path of a UDF built with the stub runtime. */
export function logMessage(level: i32, message: string): void {
  const utf8 = String.UTF8.encode(message);
  log(level, changetype<usize>(utf8), utf8.byteLength);
}
