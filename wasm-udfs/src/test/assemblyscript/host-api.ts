// Test UDF exercising the host functions one by one; which one is chosen by the frame's camera id. Exports the
// entry point under its current name, process.
import {
  ABI_VERSION, STATUS_EMITTED, STATUS_DROPPED, FACE_BYTES,
  frame_image, frame_camera_id, frame_id, frame_timestamp, frame_width, frame_height,
  image_width, image_height, image_crop, image_resize, image_blur, image_pixels, draw_label,
  detect_faces, face_get, emit_detections, emit_image, emit_image_to, emit_record,
  counter_add, timer_record, state_get, state_put, state_delete,
} from "../../main/assemblyscript/assembly/sightline";

const scratch = memory.data(4096);

export function abi_version(): i32 {
  return ABI_VERSION;
}

export function process(frame: i32): i32 {
  const camera = text(frame_camera_id(frame, scratch, 256));
  const image = frame_image(frame);
  if (camera == "meta") {
    const id = text(frame_id(frame, scratch, 256));
    record("meta", '{"frameId":"' + id + '","timestamp":' + frame_timestamp(frame).toString()
      + ',"width":' + frame_width(frame).toString() + ',"height":' + frame_height(frame).toString() + '}');
  } else if (camera == "crop") {
    const crop = image_crop(image, 10, 20, 110, 70);
    emit_image_to(name("crops"), 5, crop);
    const thumb = image_resize(crop, 32, 16);
    emit_image_to(name("thumbs"), 6, thumb);
    record("sizes", '[' + image_width(crop).toString() + ',' + image_height(crop).toString() + ','
      + image_width(thumb).toString() + ',' + image_height(thumb).toString() + ']');
  } else if (camera == "blur") {
    image_blur(image, 100, 100, 300, 300, 8);
    emit_image(image);
  } else if (camera == "label") {
    const label = String.UTF8.encode("hello");
    draw_label(image, 10, 10, changetype<usize>(label), label.byteLength, 0xffffff);
    emit_image(image);
  } else if (camera == "pixels") {
    const corner = image_crop(image, 0, 0, 2, 1);
    const length = image_pixels(corner, 0, 0);
    const copied = image_pixels(corner, scratch, length);
    emit_record(name("pixels"), 6, scratch, copied);
  } else if (camera == "metrics") {
    counter_add(name("frames"), 6, 1);
    counter_add(name("faces"), 5, 3);
    timer_record(name("work"), 4, 1500);
  } else if (camera == "count" || camera == "count-then-trap") {
    const key = name("count");
    let count: i32 = 0;
    if (state_get(key, 5, scratch + 256, 4) == 4) count = load<i32>(scratch + 256);
    store<i32>(scratch + 256, count + 1);
    state_put(name("count"), 5, scratch + 256, 4);
    record("count", (count + 1).toString());
    if (camera == "count-then-trap") unreachable();
  } else if (camera == "forget") {
    state_delete(name("count"), 5);
    store<i32>(scratch + 256, state_get(name("count"), 5, scratch + 256, 4));
    record("count", load<i32>(scratch + 256).toString());
  } else if (camera == "detect-twice") {
    const n = detect_faces(image, 0);
    const again = detect_faces(image, 0);
    const crop = image_crop(image, 0, 0, 200, 200);
    detect_faces(crop, 0);
    const face = scratch + 512;
    for (let i = 0; i < again; i++) {
      face_get(i, face);
      emit_detections(face, 1);
    }
    record("counts", '[' + n.toString() + ',' + again.toString() + ']');
  } else if (camera == "bad-name") {
    record("Alerts!", "{}");
  } else if (camera == "reserved") {
    record("detections", "{}");
  } else if (camera == "flood") {
    for (let i = 0; i < 65; i++) record("alerts", "{}");
  } else if (camera == "long-key") {
    state_put(scratch, 300, scratch, 4);
  } else if (camera == "empty-crop") {
    image_crop(image, 50, 50, 50, 90);
  } else if (camera == "remember" || camera == "trap") {
    store<i32>(scratch + 256, 7);
    state_put(name("seen"), 4, scratch + 256, 4);
  } else if (camera == "drop-after-put") {
    store<i32>(scratch + 256, 41);
    state_put(name("count"), 5, scratch + 256, 4);
    return STATUS_DROPPED;
  }
  return STATUS_EMITTED;
}

function text(length: i32): string {
  return String.UTF8.decodeUnsafe(scratch, min(length, 256));
}

/** Writes an ASCII name at scratch + 1024 and returns its address. */
function name(value: string): usize {
  const at = scratch + 1024;
  String.UTF8.encodeUnsafe(changetype<usize>(value), value.length, at);
  return at;
}

function record(output: string, json: string): void {
  const bytes = String.UTF8.encode(json);
  emit_record(name(output), output.length, changetype<usize>(bytes), bytes.byteLength);
}
