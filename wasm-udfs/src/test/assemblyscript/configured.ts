// Test UDF driven by its config JSON (read through udf_config): init fails on {"init":"fail"}, frames are dropped
// on {"frames":"drop"}, and otherwise the frame image is emitted.
import {
  ABI_VERSION, STATUS_EMITTED, STATUS_DROPPED, LOG_INFO, frame_image, emit_image, udf_config, logMessage,
} from "../../main/assemblyscript/assembly/sightline";

const INIT_FAILED: i32 = 3;
const CONFIG_CAPACITY: i32 = 256;
const buffer = memory.data(CONFIG_CAPACITY);

let config: string = "";

export function abi_version(): i32 {
  return ABI_VERSION;
}

export function init(): i32 {
  const length = udf_config(buffer, CONFIG_CAPACITY);
  config = String.UTF8.decodeUnsafe(buffer, min(length, CONFIG_CAPACITY));
  logMessage(LOG_INFO, "config " + config);
  return config == '{"init":"fail"}' ? INIT_FAILED : 0;
}

export function on_frame(frame: i32): i32 {
  if (config == '{"frames":"drop"}') return STATUS_DROPPED;
  emit_image(frame_image(frame));
  return STATUS_EMITTED;
}
