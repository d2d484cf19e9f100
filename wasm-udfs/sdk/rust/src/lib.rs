//! Sightline UDF SDK for Rust: write a frame transform as a WebAssembly module for the Sightline UDF ABI, version 1
//! (wasm-udfs/ABI.md). No dependencies: build with plain `rustc --target wasm32-unknown-unknown`.
//!
//! Pixels stay on the host: a [`Frame`] gives an [`Image`] handle, the host detects faces on it, draws on it and
//! encodes it. A UDF is a function from a frame to a [`Status`], exported with [`udf!`]:
//!
//! ```ignore
//! use sightline::{Frame, Status};
//!
//! fn on_frame(frame: Frame) -> Status {
//!     let image = frame.image();
//!     for face in image.detect_faces(0.0).iter() {
//!         image.draw_rect(&face, 0x00ff00, 2.0);
//!         sightline::emit_detections(&[face]);
//!     }
//!     image.emit();
//!     Status::Emitted
//! }
//!
//! sightline::udf!(on_frame: on_frame);
//! ```
//!
//! Handles are valid only during the `on_frame` call that produced them; the types here cannot be stored across
//! frames in safe code because they are only handed out inside it. Misusing the raw functions in [`sys`] fails the
//! frame with `UDF_ABI`; a panic traps (`UDF_TRAP`). Either way the host starts a fresh instance for the next frame.

pub mod sys;

use std::mem::MaybeUninit;

/// The ABI this SDK speaks; the host refuses a module whose `abi_version` export returns another value.
pub const ABI_VERSION: i32 = 1;

/// The longest log message the host accepts, in bytes; [`log`] cuts longer ones at a character boundary.
pub const MAX_LOG_BYTES: usize = 4096;

/// What `on_frame` made of a frame.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// The host publishes what the UDF emitted (detections, image).
    Emitted,
    /// No output for this frame.
    Dropped,
    /// The UDF's own error code (2 or more; 0 and 1 are taken), reported as `UDF_ERROR`.
    Error(i32),
}

impl Status {
    /// The status code `on_frame` returns to the host.
    pub fn code(self) -> i32 {
        match self {
            Status::Emitted => 0,
            Status::Dropped => 1,
            Status::Error(code) => code,
        }
    }
}

/// A point in image pixels.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Point {
    pub x: f32,
    pub y: f32,
}

/// The ABI's face record (60 bytes): box corners in pixels, `(x1, y1)` top-left, the detector's score, and five
/// landmarks: left eye, right eye, nose, left mouth corner, right mouth corner.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Face {
    pub x1: f32,
    pub y1: f32,
    pub x2: f32,
    pub y2: f32,
    pub score: f32,
    pub landmarks: [Point; 5],
}

impl Face {
    pub fn width(&self) -> f32 {
        self.x2 - self.x1
    }

    pub fn height(&self) -> f32 {
        self.y2 - self.y1
    }
}

/// The frame being processed; `on_frame` receives it.
#[derive(Clone, Copy, Debug)]
pub struct Frame {
    handle: i32,
}

impl Frame {
    /// The frame behind a raw handle, as the host passes it to `on_frame`.
    pub fn from_handle(handle: i32) -> Frame {
        Frame { handle }
    }

    pub fn handle(self) -> i32 {
        self.handle
    }

    /// The frame's decoded image.
    pub fn image(self) -> Image {
        Image { handle: unsafe { sys::frame_image(self.handle) } }
    }

    /// Capture time in epoch milliseconds: record time, the only clock a UDF has.
    pub fn captured_at(self) -> i64 {
        unsafe { sys::frame_captured_at(self.handle) }
    }

    /// The camera that sent the frame.
    pub fn camera_id(self) -> String {
        let mut buffer = [0u8; 128];
        let length = unsafe { sys::frame_camera_id(self.handle, buffer.as_mut_ptr() as i32, buffer.len() as i32) };
        let mut bytes = buffer[..(length.max(0) as usize).min(buffer.len())].to_vec();
        if length as usize > buffer.len() {
            bytes = vec![0u8; length as usize];
            unsafe { sys::frame_camera_id(self.handle, bytes.as_mut_ptr() as i32, length) };
        }
        String::from_utf8_lossy(&bytes).into_owned()
    }
}

/// An image held by the host.
#[derive(Clone, Copy, Debug)]
pub struct Image {
    handle: i32,
}

impl Image {
    pub fn handle(self) -> i32 {
        self.handle
    }

    pub fn width(self) -> i32 {
        unsafe { sys::image_width(self.handle) }
    }

    pub fn height(self) -> i32 {
        unsafe { sys::image_height(self.handle) }
    }

    /// Runs the host's face detector on the image; `min_face` in pixels, `0.0` for the host's configured minimum.
    /// Inference time does not count against the UDF's time budget.
    pub fn detect_faces(self, min_face: f32) -> Detections {
        Detections { count: unsafe { sys::detect_faces(self.handle, min_face) } }
    }

    /// Outlines the face's box with lines `thickness` pixels wide, drawn inside the box; `rgb` is `0xRRGGBB`.
    pub fn draw_rect(self, face: &Face, rgb: u32, thickness: f32) {
        self.draw_box(face.x1, face.y1, face.x2, face.y2, rgb, thickness);
    }

    /// Outlines the box `(x1, y1)`–`(x2, y2)`.
    pub fn draw_box(self, x1: f32, y1: f32, x2: f32, y2: f32, rgb: u32, thickness: f32) {
        unsafe { sys::draw_rect(self.handle, x1, y1, x2, y2, rgb as i32, thickness) }
    }

    /// Fills a disc of `radius` pixels around the point.
    pub fn draw_point(self, at: Point, radius: f32, rgb: u32) {
        unsafe { sys::draw_point(self.handle, at.x, at.y, radius, rgb as i32) }
    }

    /// Chooses this image as the frame's annotated output.
    pub fn emit(self) {
        unsafe { sys::emit_image(self.handle) }
    }
}

/// The faces found by the last [`Image::detect_faces`] of this frame.
#[derive(Clone, Copy, Debug)]
pub struct Detections {
    count: i32,
}

impl Detections {
    pub fn len(self) -> usize {
        self.count as usize
    }

    pub fn is_empty(self) -> bool {
        self.count == 0
    }

    /// Face `index`, `0..len()`.
    pub fn get(self, index: usize) -> Face {
        face_get(index as i32)
    }

    pub fn iter(self) -> impl Iterator<Item = Face> {
        (0..self.count).map(face_get)
    }
}

fn face_get(index: i32) -> Face {
    let mut face = MaybeUninit::<Face>::uninit();
    unsafe {
        sys::face_get(index, face.as_mut_ptr() as i32);
        face.assume_init()
    }
}

/// Reports faces as this frame's detections; calls accumulate.
pub fn emit_detections(faces: &[Face]) {
    unsafe { sys::emit_detections(faces.as_ptr() as i32, faces.len() as i32) }
}

/// Log levels of [`log`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    Debug = 0,
    Info = 1,
    Warn = 2,
    Error = 3,
}

/// Logs a message through the host's logger (works in `init` too). Messages over 4096 bytes are cut.
pub fn log(level: Level, message: &str) {
    let mut end = message.len().min(MAX_LOG_BYTES);
    while !message.is_char_boundary(end) {
        end -= 1;
    }
    unsafe { sys::log(level as i32, message.as_ptr() as i32, end as i32) }
}

pub fn info(message: &str) {
    log(Level::Info, message);
}

pub fn warn(message: &str) {
    log(Level::Warn, message);
}

/// The UDF's config as deployed (`--config JSON`), `{}` when none was given. Read it once, in `init`, and keep
/// what you need: parsing is up to the UDF.
pub fn config() -> String {
    let length = unsafe { sys::udf_config(0, 0) };
    let mut bytes = vec![0u8; length.max(0) as usize];
    unsafe { sys::udf_config(bytes.as_mut_ptr() as i32, length) };
    String::from_utf8_lossy(&bytes).into_owned()
}

/// Exports a UDF's entry points: `abi_version`, `on_frame` (a `fn(Frame) -> Status`) and, optionally, `init`
/// (a `fn() -> Result<(), i32>`, run once per instance before its first frame; an error refuses the module at
/// deploy and fails the frame at run time).
///
/// ```ignore
/// sightline::udf!(on_frame: my_frame);
/// sightline::udf!(on_frame: my_frame, init: my_init);
/// ```
#[macro_export]
macro_rules! udf {
    (on_frame: $on_frame:path $(, init: $init:path)? $(,)?) => {
        #[export_name = "abi_version"]
        pub extern "C" fn __sightline_abi_version() -> i32 {
            $crate::ABI_VERSION
        }

        #[export_name = "on_frame"]
        pub extern "C" fn __sightline_on_frame(frame: i32) -> i32 {
            let handler: fn($crate::Frame) -> $crate::Status = $on_frame;
            handler($crate::Frame::from_handle(frame)).code()
        }

        $(
            #[export_name = "init"]
            pub extern "C" fn __sightline_init() -> i32 {
                let handler: fn() -> ::core::result::Result<(), i32> = $init;
                match handler() {
                    Ok(()) => 0,
                    Err(code) if code != 0 => code,
                    Err(_) => 1,
                }
            }
        )?
    };
}
