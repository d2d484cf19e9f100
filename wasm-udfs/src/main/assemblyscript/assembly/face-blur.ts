// face-blur: detects every face and blurs it beyond recognition, for privacy-safe frames. Emits the blurred image to
// output "blurred" and the faces as detections.
import {
  ABI_VERSION, STATUS_EMITTED, FACE_BYTES, FACE_X1, FACE_Y1, FACE_X2, FACE_Y2,
  frame_image, detect_faces, face_get, image_blur, emit_detections, emit_image_to,
} from "./sightline";
import { ascii } from "./udf-support";

/** Let the host apply its configured minimum face size. */
const HOST_MIN_FACE: f32 = 0;
/** The blurred box reaches this fraction of the face's size beyond the detector's box (hair, ears, chin). */
const MARGIN: f32 = 0.15;
/** Blur radius as a fraction of the face's size: about a quarter wipes out eyes, mouth and outline. */
const RADIUS: f32 = 0.25;
const MIN_RADIUS: f32 = 3;

const OUTPUT = "blurred";
const face = memory.data(FACE_BYTES, 4);
const output = memory.data(16);

export function abi_version(): i32 {
  return ABI_VERSION;
}

export function process(frame: i32): i32 {
  const image = frame_image(frame);
  const count = detect_faces(image, HOST_MIN_FACE);
  for (let i = 0; i < count; i++) {
    face_get(i, face);
    blur(image);
    emit_detections(face, 1);
  }
  emit_image_to(ascii(OUTPUT, output), OUTPUT.length, image);
  return STATUS_EMITTED;
}

function blur(image: i32): void {
  const x1 = load<f32>(face, FACE_X1);
  const y1 = load<f32>(face, FACE_Y1);
  const x2 = load<f32>(face, FACE_X2);
  const y2 = load<f32>(face, FACE_Y2);
  const size = max(x2 - x1, y2 - y1);
  const margin = size * MARGIN;
  image_blur(image, x1 - margin, y1 - margin, x2 + margin, y2 + margin, max(MIN_RADIUS, size * RADIUS));
}
