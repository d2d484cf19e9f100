// Raw host imports of the Sightline UDF ABI, version 1 (module "sightline"; see wasm-udfs/ABI.md).
// One declaration per host function, in ABI.md's order. Pointers are guest addresses as i32; the safe API in lib.rs
// wraps these. This file may be regenerated from the host's function table: keep hand-written code elsewhere.

#[link(wasm_import_module = "sightline")]
extern "C" {
    /// Handle of the frame's decoded image.
    pub fn frame_image(frame: i32) -> i32;
    /// Capture time of the frame, epoch milliseconds (record time: a UDF has no wall clock).
    pub fn frame_captured_at(frame: i32) -> i64;
    /// Writes up to `cap` UTF-8 bytes of the camera id at `ptr`; returns the id's full length.
    pub fn frame_camera_id(frame: i32, ptr: i32, cap: i32) -> i32;
    /// Width of the image in pixels.
    pub fn image_width(image: i32) -> i32;
    /// Height of the image in pixels.
    pub fn image_height(image: i32) -> i32;
    /// Runs the face detector, keeps the result and returns the count; `min_face <= 0` uses the host's minimum.
    pub fn detect_faces(image: i32, min_face: f32) -> i32;
    /// Writes face `index` of the last `detect_faces` as a 60-byte face record at `ptr`.
    pub fn face_get(index: i32, ptr: i32);
    /// Outlines the box with lines `thickness` pixels wide, inside the box; `rgb` is 0xRRGGBB.
    pub fn draw_rect(image: i32, x1: f32, y1: f32, x2: f32, y2: f32, rgb: i32, thickness: f32);
    /// Fills a disc of `radius` pixels.
    pub fn draw_point(image: i32, x: f32, y: f32, radius: f32, rgb: i32);
    /// Reports `count` face records read from `ptr`; calls accumulate within one frame.
    pub fn emit_detections(ptr: i32, count: i32);
    /// Chooses the image as the frame's annotated output; the host encodes it after on_frame returns.
    pub fn emit_image(image: i32);
    /// Logs `len` UTF-8 bytes at `ptr`; level 0 debug, 1 info, 2 warn, 3 error; at most 4096 bytes.
    pub fn log(level: i32, ptr: i32, len: i32);
    /// Writes up to `cap` bytes of the UDF's config JSON at `ptr`; returns its full length.
    pub fn udf_config(ptr: i32, cap: i32) -> i32;
}
