// ABI conformance UDF, AssemblyScript edition. conformance.rs and conformance.c are the same program in Rust and C;
// AbiConformanceTest runs all three on the same frames and expects the same results. The frame's camera id picks
// the case (see AbiConformanceTest); the config picks how init behaves.
import {
  ABI_VERSION, STATUS_EMITTED, STATUS_DROPPED, FACE_BYTES, FACE_X1, FACE_Y1, FACE_X2, FACE_Y2, FACE_LANDMARKS,
  LANDMARKS, LOG_INFO,
  frame_image, frame_captured_at, frame_camera_id, image_width, image_height, detect_faces, face_get, draw_rect,
  draw_point, emit_detections, emit_image, log, udf_config,
} from "../../main/assemblyscript/assembly/sightline";

const MAX_FACES: i32 = 64;
const TOO_MANY_FACES: i32 = 60;
const ERROR_STATUS: i32 = 42;
const INIT_FAILED: i32 = 3;
const GROW_GRANTED: i32 = 5;
const GROW_PAGES: i32 = 4096;
const UNKNOWN_HANDLE: i32 = 999;
const BOX_RGB: i32 = 0x00ff00;
const POINT_RGB: i32 = 0xff0000;
const CONFIG_CAPACITY: i32 = 256;
const CAMERA_CAPACITY: i32 = 64;

const configBuffer = memory.data(CONFIG_CAPACITY);
const cameraBuffer = memory.data(CAMERA_CAPACITY);
const faces = memory.data(MAX_FACES * FACE_BYTES, 4);
const hello = memory.data<u8>([104, 101, 108, 108, 111]); // "hello"

let inits: i32 = 0;
let frames: i32 = 0;
let configLength: i32 = 0;
let configSum: i32 = 0;
let spins: i32 = 0;

export function abi_version(): i32 {
  return ABI_VERSION;
}

export function init(): i32 {
  inits++;
  configLength = udf_config(configBuffer, CONFIG_CAPACITY);
  configSum = byteSum(configBuffer, min(configLength, CONFIG_CAPACITY));
  log(LOG_INFO, hello, 5);
  if (configIs('{"init":"fail"}')) return INIT_FAILED;
  if (configIs('{"init":"trap"}')) unreachable();
  if (configIs('{"init":"frame"}')) frame_image(1);
  return 0;
}

export function on_frame(frame: i32): i32 {
  frames++;
  const cameraLength = min(frame_camera_id(frame, cameraBuffer, CAMERA_CAPACITY), CAMERA_CAPACITY);
  const camera = String.UTF8.decodeUnsafe(cameraBuffer, cameraLength);
  const image = frame_image(frame);
  if (camera == "meta") {
    const at = frame_captured_at(frame);
    store<f32>(faces, 0, 0);
    store<f32>(faces, 0, 4);
    store<f32>(faces, <f32>image_width(image), 8);
    store<f32>(faces, <f32>image_height(image), 12);
    store<f32>(faces, 0.5, 16);
    store<f32>(faces, <f32>cameraLength, 20);
    store<f32>(faces, <f32>byteSum(cameraBuffer, cameraLength), 24);
    store<f32>(faces, <f32>(at / 1000000), 28);
    store<f32>(faces, <f32>(at % 1000000), 32);
    store<f32>(faces, <f32>configLength, 36);
    store<f32>(faces, <f32>configSum, 40);
    store<f32>(faces, <f32>inits, 44);
    store<f32>(faces, <f32>frames, 48);
    store<f32>(faces, <f32>ABI_VERSION, 52);
    store<f32>(faces, 0, 56);
    emit_detections(faces, 1);
    return STATUS_EMITTED;
  }
  if (camera == "detect") {
    const count = detect_faces(image, 0);
    if (count > MAX_FACES) return TOO_MANY_FACES;
    for (let i = 0; i < count; i++) {
      const face = faces + i * FACE_BYTES;
      face_get(i, face);
      draw_rect(image, load<f32>(face, FACE_X1), load<f32>(face, FACE_Y1), load<f32>(face, FACE_X2),
        load<f32>(face, FACE_Y2), BOX_RGB, 2);
      for (let k = 0; k < LANDMARKS; k++) {
        const point = face + FACE_LANDMARKS + k * 8;
        draw_point(image, load<f32>(point), load<f32>(point, 4), 2, POINT_RGB);
      }
    }
    emit_detections(faces, count);
    emit_image(image);
    return STATUS_EMITTED;
  }
  if (camera == "detect-min") {
    detect_faces(image, 40);
    return STATUS_DROPPED;
  }
  if (camera == "drop") return STATUS_DROPPED;
  if (camera == "error") return ERROR_STATUS;
  if (camera == "trap") unreachable();
  if (camera == "loop") {
    while (true) spins++;
  }
  if (camera == "grow") return memory.grow(GROW_PAGES) < 0 ? STATUS_DROPPED : GROW_GRANTED;
  if (camera == "log") {
    log(LOG_INFO, hello, 5);
    return STATUS_DROPPED;
  }
  if (camera == "bad-image") return image_width(UNKNOWN_HANDLE);
  if (camera == "bad-face") {
    face_get(detect_faces(image, 0), faces);
    return STATUS_EMITTED;
  }
  if (camera == "bad-pointer") {
    emit_detections(0xfffffff0, 1);
    return STATUS_EMITTED;
  }
  if (camera == "bad-coord") {
    draw_rect(image, NaN, 0, 10, 10, BOX_RGB, 1);
    return STATUS_EMITTED;
  }
  if (camera == "bad-log") {
    log(9, hello, 5);
    return STATUS_EMITTED;
  }
  if (camera == "bad-record") {
    store<f32>(faces, 10, FACE_X1);
    store<f32>(faces, 0, FACE_Y1);
    store<f32>(faces, 5, FACE_X2);
    store<f32>(faces, 5, FACE_Y2);
    emit_detections(faces, 1);
    return STATUS_EMITTED;
  }
  emit_image(image);
  return STATUS_EMITTED;
}

function byteSum(ptr: usize, length: i32): i32 {
  let sum = 0;
  for (let i = 0; i < length; i++) sum += load<u8>(ptr + i);
  return sum;
}

function configIs(expected: string): bool {
  return String.UTF8.decodeUnsafe(configBuffer, min(configLength, CONFIG_CAPACITY)) == expected;
}
