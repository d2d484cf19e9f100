// crowd-alert: emits one JSON record to output "alerts" when a camera has shown at least minFaces faces for `frames`
// consecutive frames, once per episode; the episode ends with the first frame showing fewer. The streak lives in the
// UDF's state (per camera, changelogged by the processor), so it survives a restart or failover mid-episode.
// Config: {"minFaces": N, "frames": K}, defaults 5 and 3.
import {
  ABI_VERSION, STATUS_EMITTED, FACE_BYTES, FACE_SCORE, LOG_ERROR,
  frame_image, frame_camera_id, frame_id, frame_timestamp, detect_faces, face_get, emit_record,
  state_get, state_put, state_delete, logMessage,
} from "./sightline";
import {
  readConfig, configNumber, ascii, record, recordLength, recordStart, recordAscii, recordInt, recordString,
} from "./udf-support";

const BAD_CONFIG: i32 = 2;
/** Faces below this score do not count, as face-annotate does not report them. */
const MIN_SCORE: f32 = 0.8;
const HOST_MIN_FACE: f32 = 0;

let minFaces: i32 = 5;
let frames: i32 = 3;

const ID_CAPACITY: i32 = 200;
const camera = memory.data(ID_CAPACITY);
const frameIdBuffer = memory.data(ID_CAPACITY);
const face = memory.data(FACE_BYTES, 4);
const output = memory.data(16);

// The state of one camera's episode: streak (i32), alerted (i32), episode start (i64, epoch ms).
const STATE_BYTES: i32 = 16;
const state = memory.data(STATE_BYTES, 8);
const KEY_PREFIX = "streak/";
const key = memory.data(8 + ID_CAPACITY);

export function abi_version(): i32 {
  return ABI_VERSION;
}

export function init(): i32 {
  if (!readConfig()) return fail("config is too long");
  const n = configNumber("minFaces", 5);
  const k = configNumber("frames", 3);
  if (!(n >= 1 && n <= 10000 && n == Math.floor(n))) return fail("minFaces must be a whole number from 1 to 10000");
  if (!(k >= 1 && k <= 100000 && k == Math.floor(k))) return fail("frames must be a whole number from 1 to 100000");
  minFaces = <i32>n;
  frames = <i32>k;
  return 0;
}

function fail(message: string): i32 {
  logMessage(LOG_ERROR, "crowd-alert config: " + message);
  return BAD_CONFIG;
}

export function process(frame: i32): i32 {
  const faces = countFaces(frame_image(frame));
  const cameraLength = min(frame_camera_id(frame, camera, ID_CAPACITY), ID_CAPACITY);
  const keyLength = stateKey(cameraLength);
  const known = state_get(key, keyLength, state, STATE_BYTES) == STATE_BYTES;
  if (faces < minFaces) {
    if (known) state_delete(key, keyLength);
    return STATUS_EMITTED;
  }
  const timestamp = frame_timestamp(frame);
  let streak: i32 = 1;
  let alerted: i32 = 0;
  let start: i64 = timestamp;
  if (known) {
    streak = min(load<i32>(state) + 1, frames);
    alerted = load<i32>(state, 4);
    start = load<i64>(state, 8);
  }
  if (streak >= frames && alerted == 0) {
    alert(frame, cameraLength, timestamp, faces, start);
    alerted = 1;
  }
  store<i32>(state, streak);
  store<i32>(state, alerted, 4);
  store<i64>(state, start, 8);
  state_put(key, keyLength, state, STATE_BYTES);
  return STATUS_EMITTED;
}

function countFaces(image: i32): i32 {
  const count = detect_faces(image, HOST_MIN_FACE);
  let confident = 0;
  for (let i = 0; i < count; i++) {
    face_get(i, face);
    if (load<f32>(face, FACE_SCORE) >= MIN_SCORE) confident++;
  }
  return confident;
}

function stateKey(cameraLength: i32): i32 {
  ascii(KEY_PREFIX, key);
  memory.copy(key + KEY_PREFIX.length, camera, cameraLength);
  return KEY_PREFIX.length + cameraLength;
}

function alert(frame: i32, cameraLength: i32, timestamp: i64, faces: i32, start: i64): void {
  const idLength = min(frame_id(frame, frameIdBuffer, ID_CAPACITY), ID_CAPACITY);
  recordStart();
  recordAscii("{\"cameraId\":");
  recordString(camera, cameraLength);
  recordAscii(",\"frameId\":");
  recordString(frameIdBuffer, idLength);
  recordAscii(",\"timestamp\":");
  recordInt(timestamp);
  recordAscii(",\"faces\":");
  recordInt(faces);
  recordAscii(",\"minFaces\":");
  recordInt(minFaces);
  recordAscii(",\"frames\":");
  recordInt(frames);
  recordAscii(",\"episodeStart\":");
  recordInt(start);
  recordAscii("}");
  emit_record(ascii("alerts", output), 6, record, recordLength);
}
