// Sightline UDF ABI, version 1: the host functions a UDF imports from module "sightline".
// The contract is described in wasm-udfs/ABI.md; the host implementation is io.sightline.udf.internal.HostFunctions.
// Images are host-side handles: pixels never cross into Wasm memory.

export const ABI_VERSION: i32 = 1;

/** Return values of on_frame. Any other value is an error code reported by the UDF. */
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

/** The decoded image of the frame. */
@external("sightline", "frame_image")
export declare function frame_image(frame: i32): i32;

/** Capture time of the frame in epoch milliseconds (record time; a UDF has no wall clock). */
@external("sightline", "frame_captured_at")
export declare function frame_captured_at(frame: i32): i64;

/** Writes up to `capacity` UTF-8 bytes of the camera id at `ptr`; returns the id's full length in bytes. */
@external("sightline", "frame_camera_id")
export declare function frame_camera_id(frame: i32, ptr: usize, capacity: i32): i32;

@external("sightline", "image_width")
export declare function image_width(image: i32): i32;

@external("sightline", "image_height")
export declare function image_height(image: i32): i32;

/** Runs the host's face detector; `minFace` <= 0 means the host's configured minimum. Returns the face count. */
@external("sightline", "detect_faces")
export declare function detect_faces(image: i32, minFace: f32): i32;

/** Writes face `index` of the last detect_faces call as FACE_FLOATS f32 at `ptr`. */
@external("sightline", "face_get")
export declare function face_get(index: i32, ptr: usize): void;

/** Outlines a box with lines `thickness` pixels wide, inside the box. `rgb` is 0xRRGGBB. */
@external("sightline", "draw_rect")
export declare function draw_rect(image: i32, x1: f32, y1: f32, x2: f32, y2: f32, rgb: i32, thickness: f32): void;

/** Fills a disc of `radius` pixels. */
@external("sightline", "draw_point")
export declare function draw_point(image: i32, x: f32, y: f32, radius: f32, rgb: i32): void;

/** Reports `count` face records read from `ptr`; calls accumulate within one frame. */
@external("sightline", "emit_detections")
export declare function emit_detections(ptr: usize, count: i32): void;

/** Chooses `image` as the frame's annotated output; the host encodes it after on_frame returns. */
@external("sightline", "emit_image")
export declare function emit_image(image: i32): void;

/** Logs `len` UTF-8 bytes at `ptr`. */
@external("sightline", "log")
export declare function log(level: i32, ptr: usize, len: i32): void;

/**
 * Writes up to `capacity` bytes of the UDF's config (UTF-8 JSON, "{}" when none was given) at `ptr`; returns its full
 * length in bytes. Works in init and on_frame.
 */
@external("sightline", "udf_config")
export declare function udf_config(ptr: usize, capacity: i32): i32;

/** Logs a message. Allocates the UTF-8 copy: keep it off the per-frame path of a UDF built with the stub runtime. */
export function logMessage(level: i32, message: string): void {
  const utf8 = String.UTF8.encode(message);
  log(level, changetype<usize>(utf8), utf8.byteLength);
}
