// face-annotate: detects faces, keeps the confident ones, outlines them with their landmarks in a colour that
// tells the score, and emits the kept faces plus the annotated image.
import {
  ABI_VERSION, STATUS_EMITTED, FACE_BYTES, FACE_X1, FACE_Y1, FACE_X2, FACE_Y2, FACE_SCORE, FACE_LANDMARKS, LANDMARKS,
  frame_image, image_width, image_height, detect_faces, face_get, draw_rect, draw_point, emit_detections, emit_image,
} from "./sightline";

/** Faces below this score are neither drawn nor reported. */
const MIN_SCORE: f32 = 0.8;
const HIGH_SCORE: f32 = 0.95;
const MEDIUM_SCORE: f32 = 0.9;

const HIGH_COLOR: i32 = 0x00c853;
const MEDIUM_COLOR: i32 = 0xffc400;
const LOW_COLOR: i32 = 0xff3d00;

/** Let the host apply its configured minimum face size. */
const HOST_MIN_FACE: f32 = 0;

// One face record, reused for every face: nothing is allocated per frame.
const face = memory.data(FACE_BYTES, 4);

export function abi_version(): i32 {
  return ABI_VERSION;
}

export function process(frame: i32): i32 {
  const image = frame_image(frame);
  const thickness = lineThickness(image_width(image), image_height(image));
  const count = detect_faces(image, HOST_MIN_FACE);
  for (let i = 0; i < count; i++) {
    face_get(i, face);
    const score = load<f32>(face, FACE_SCORE);
    if (score < MIN_SCORE) continue;
    annotate(image, colorFor(score), thickness);
    emit_detections(face, 1);
  }
  emit_image(image);
  return STATUS_EMITTED;
}

function annotate(image: i32, rgb: i32, thickness: f32): void {
  draw_rect(image,
    load<f32>(face, FACE_X1), load<f32>(face, FACE_Y1), load<f32>(face, FACE_X2), load<f32>(face, FACE_Y2),
    rgb, thickness);
  for (let k = 0; k < LANDMARKS; k++) {
    const at = face + FACE_LANDMARKS + k * 8;
    draw_point(image, load<f32>(at), load<f32>(at, 4), thickness + 1, rgb);
  }
}

function colorFor(score: f32): i32 {
  if (score >= HIGH_SCORE) return HIGH_COLOR;
  if (score >= MEDIUM_SCORE) return MEDIUM_COLOR;
  return LOW_COLOR;
}

/** Two pixels up to about 640 px on the short side, thicker on larger frames so boxes stay visible. */
function lineThickness(width: i32, height: i32): f32 {
  const shortSide = min(width, height);
  return <f32>max(2, shortSide / 320);
}
