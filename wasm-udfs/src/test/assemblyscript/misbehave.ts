// Test UDF whose behaviour is chosen by the frame's camera id, so one instance can fail and then recover.
import {
  ABI_VERSION, STATUS_EMITTED, STATUS_DROPPED, LOG_INFO,
  frame_image, frame_camera_id, image_width, emit_image, emit_record, logMessage,
} from "../../main/assemblyscript/assembly/sightline";

const ERROR_STATUS: i32 = 7;
const GROW_REFUSED_STATUS: i32 = 9;
const UNKNOWN_HANDLE: i32 = 999;

export function abi_version(): i32 {
  return ABI_VERSION;
}

/** Frames this Wasm instance has processed: 1 on the first frame after a (re)start. */
let calls: i32 = 0;

export function on_frame(frame: i32): i32 {
  calls++;
  const camera = cameraId(frame);
  if (camera == "calls") {
    const json = String.UTF8.encode(calls.toString());
    const name = String.UTF8.encode("calls");
    emit_record(changetype<usize>(name), name.byteLength, changetype<usize>(json), json.byteLength);
    return STATUS_EMITTED;
  }
  if (camera == "trap") unreachable();
  if (camera == "loop") spinForever();
  if (camera == "error") return ERROR_STATUS;
  if (camera == "drop") return STATUS_DROPPED;
  if (camera == "bad-handle") return image_width(UNKNOWN_HANDLE);
  if (camera == "grow") return memory.grow(64) < 0 ? GROW_REFUSED_STATUS : STATUS_EMITTED;
  if (camera == "hog") hogMemory();
  if (camera == "log") logMessage(LOG_INFO, "hello from " + camera);
  emit_image(frame_image(frame));
  return STATUS_EMITTED;
}

function cameraId(frame: i32): string {
  const buffer = memory.data(64);
  const length = frame_camera_id(frame, buffer, 64);
  return String.UTF8.decodeUnsafe(buffer, min(length, 64));
}

let spins: i32 = 0;

function spinForever(): void {
  // The global store keeps the optimizer from removing the loop.
  while (true) spins++;
}

let hoarded: ArrayBuffer[] = [];

function hogMemory(): void {
  // Allocates 1 MiB at a time and keeps it: the allocator traps once memory.grow is refused at the cap.
  while (true) hoarded.push(new ArrayBuffer(1 << 20));
}
