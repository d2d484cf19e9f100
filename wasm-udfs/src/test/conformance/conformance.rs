// ABI conformance UDF, Rust edition: conformance.ts in Rust, on the SDK's safe API where it has one and on its raw
// `sys` functions for the cases that misuse the ABI on purpose. AbiConformanceTest expects the same results from all
// three editions.
use sightline::{sys, Face, Frame, Image, Level, Point, Status};

const MAX_FACES: usize = 64;
const TOO_MANY_FACES: i32 = 60;
const ERROR_STATUS: i32 = 42;
const INIT_FAILED: i32 = 3;
const GROW_GRANTED: i32 = 5;
const GROW_PAGES: usize = 4096;
const UNKNOWN_HANDLE: i32 = 999;
const BOX_RGB: u32 = 0x00ff00;
const POINT_RGB: u32 = 0xff0000;
const CONFIG_CAPACITY: usize = 256;

static mut INITS: i32 = 0;
static mut FRAMES: i32 = 0;
static mut CONFIG_LENGTH: i32 = 0;
static mut CONFIG_SUM: i32 = 0;
static mut SPINS: i32 = 0;

fn byte_sum(bytes: &[u8]) -> i32 {
    bytes.iter().map(|&b| b as i32).sum()
}

fn init() -> Result<(), i32> {
    let config = sightline::config();
    let kept = &config.as_bytes()[..config.len().min(CONFIG_CAPACITY)];
    unsafe {
        INITS += 1;
        CONFIG_LENGTH = config.len() as i32;
        CONFIG_SUM = byte_sum(kept);
    }
    sightline::log(Level::Info, "hello");
    match config.as_str() {
        r#"{"init":"fail"}"# => Err(INIT_FAILED),
        r#"{"init":"trap"}"# => core::arch::wasm32::unreachable(),
        r#"{"init":"frame"}"# => {
            Frame::from_handle(1).image();
            Ok(())
        }
        _ => Ok(()),
    }
}

fn on_frame(frame: Frame) -> Status {
    unsafe { FRAMES += 1 };
    let camera = frame.camera_id();
    let image = frame.image();
    match camera.as_str() {
        "meta" => meta(frame, image, &camera),
        "detect" => detect(image),
        "detect-min" => {
            image.detect_faces(40.0);
            Status::Dropped
        }
        "drop" => Status::Dropped,
        "error" => Status::Error(ERROR_STATUS),
        "trap" => core::arch::wasm32::unreachable(),
        "loop" => loop {
            unsafe { core::ptr::write_volatile(&mut SPINS, SPINS + 1) };
        },
        "grow" => {
            if core::arch::wasm32::memory_grow(0, GROW_PAGES) == usize::MAX {
                Status::Dropped
            } else {
                Status::Error(GROW_GRANTED)
            }
        }
        "log" => {
            sightline::info("hello");
            Status::Dropped
        }
        "bad-image" => Status::Error(unsafe { sys::image_width(UNKNOWN_HANDLE) }),
        "bad-face" => {
            let found = image.detect_faces(0.0);
            found.get(found.len());
            Status::Emitted
        }
        "bad-pointer" => {
            unsafe { sys::emit_detections(0xfffffff0u32 as i32, 1) };
            Status::Emitted
        }
        "bad-coord" => {
            image.draw_box(f32::NAN, 0.0, 10.0, 10.0, BOX_RGB, 1.0);
            Status::Emitted
        }
        "bad-log" => {
            let hello = b"hello";
            unsafe { sys::log(9, hello.as_ptr() as i32, hello.len() as i32) };
            Status::Emitted
        }
        "bad-record" => {
            let face = Face { x1: 10.0, y1: 0.0, x2: 5.0, y2: 5.0, ..Face::default() };
            sightline::emit_detections(&[face]);
            Status::Emitted
        }
        _ => {
            image.emit();
            Status::Emitted
        }
    }
}

fn meta(frame: Frame, image: Image, camera: &str) -> Status {
    let at = frame.captured_at();
    let point = |x: f32, y: f32| Point { x, y };
    let (inits, frames, config_length, config_sum) = unsafe { (INITS, FRAMES, CONFIG_LENGTH, CONFIG_SUM) };
    let record = Face {
        x1: 0.0,
        y1: 0.0,
        x2: image.width() as f32,
        y2: image.height() as f32,
        score: 0.5,
        landmarks: [
            point(camera.len() as f32, byte_sum(camera.as_bytes()) as f32),
            point((at / 1_000_000) as f32, (at % 1_000_000) as f32),
            point(config_length as f32, config_sum as f32),
            point(inits as f32, frames as f32),
            point(sightline::ABI_VERSION as f32, 0.0),
        ],
    };
    sightline::emit_detections(&[record]);
    Status::Emitted
}

fn detect(image: Image) -> Status {
    let found = image.detect_faces(0.0);
    if found.len() > MAX_FACES {
        return Status::Error(TOO_MANY_FACES);
    }
    let faces: Vec<Face> = found.iter().collect();
    for face in &faces {
        image.draw_rect(face, BOX_RGB, 2.0);
        for landmark in face.landmarks {
            image.draw_point(landmark, 2.0, POINT_RGB);
        }
    }
    sightline::emit_detections(&faces);
    image.emit();
    Status::Emitted
}

sightline::udf!(on_frame: on_frame, init: init);
