// frame-sampler: passes at most `fps` frames per second per camera, by record time, and drops the rest. A filter for
// the front of a chain: it never looks at pixels, so a dropped frame costs no decode and no inference.
// Config: {"fps": F}, default 1 (fractions allowed, e.g. 0.2 for one frame in five seconds).
import {
  ABI_VERSION, STATUS_EMITTED, STATUS_DROPPED, LOG_ERROR,
  frame_camera_id, frame_timestamp, state_get, state_put, logMessage,
} from "./sightline";
import { readConfig, configNumber, ascii } from "./udf-support";

const BAD_CONFIG: i32 = 2;
const MAX_FPS: f64 = 1000;

/** Least time between two passed frames, in milliseconds. */
let interval: f64 = 1000;

const ID_CAPACITY: i32 = 200;
const KEY_PREFIX = "last/";
const key = memory.data(8 + ID_CAPACITY);
const last = memory.data(8, 8);

export function abi_version(): i32 {
  return ABI_VERSION;
}

export function init(): i32 {
  if (!readConfig()) return fail("config is too long");
  const fps = configNumber("fps", 1);
  if (!(fps > 0 && fps <= MAX_FPS)) return fail("fps must be a number above 0 and at most 1000");
  interval = 1000 / fps;
  return 0;
}

function fail(message: string): i32 {
  logMessage(LOG_ERROR, "frame-sampler config: " + message);
  return BAD_CONFIG;
}

export function process(frame: i32): i32 {
  ascii(KEY_PREFIX, key);
  const cameraLength = min(frame_camera_id(frame, key + KEY_PREFIX.length, ID_CAPACITY), ID_CAPACITY);
  const keyLength = KEY_PREFIX.length + cameraLength;
  const timestamp = frame_timestamp(frame);
  if (state_get(key, keyLength, last, 8) == 8) {
    const previous = load<i64>(last);
    // Time going backwards (a replay, a reset camera clock) starts a new timeline rather than blocking the camera.
    if (timestamp >= previous && <f64>(timestamp - previous) < interval) return STATUS_DROPPED;
  }
  store<i64>(last, timestamp);
  state_put(key, keyLength, last, 8);
  return STATUS_EMITTED;
}
