// Helpers shared by the bundled UDFs: reading numbers from the config JSON and writing JSON records, both into
// static buffers. The bundled UDFs are built with the stub runtime, which never frees: nothing here allocates.
import { udf_config } from "./sightline";

const CONFIG_CAPACITY: i32 = 4096;
const config = memory.data(CONFIG_CAPACITY);
let configLength: i32 = 0;

/** Reads the UDF's config into the static buffer; call once, in init. Returns false when it is too long. */
export function readConfig(): bool {
  const length = udf_config(config, CONFIG_CAPACITY);
  configLength = min(length, CONFIG_CAPACITY);
  return length <= CONFIG_CAPACITY;
}

/**
 * The number after "key": in the config, or `fallback` when the key is absent. A present key whose value is not a
 * number gives NaN, for the caller to refuse. This is not a JSON parser: it finds the first "key" anywhere, which is
 * enough for the flat objects the bundled UDFs take.
 */
export function configNumber(key: string, fallback: f64): f64 {
  const at = find(key);
  if (at < 0) return fallback;
  let i = skipSpaces(at);
  if (i >= configLength || load<u8>(config + i) != 0x3a) return NaN; // ':'
  i = skipSpaces(i + 1);
  let negative = false;
  if (i < configLength && load<u8>(config + i) == 0x2d) { negative = true; i++; } // '-'
  let value: f64 = 0;
  let digits = 0;
  let scale: f64 = 0;
  for (; i < configLength; i++) {
    const c = load<u8>(config + i);
    if (c >= 0x30 && c <= 0x39) {
      digits++;
      if (scale == 0) value = value * 10 + <f64>(c - 0x30);
      else { value += <f64>(c - 0x30) / scale; scale *= 10; }
    } else if (c == 0x2e && scale == 0) { // '.'
      scale = 10;
    } else {
      break;
    }
  }
  if (digits == 0) return NaN;
  return negative ? -value : value;
}

/** Index just after the quoted key, or -1. */
function find(key: string): i32 {
  const n = key.length;
  for (let start = 0; start + n + 2 <= configLength; start++) {
    if (load<u8>(config + start) != 0x22) continue; // '"'
    let matches = true;
    for (let k = 0; k < n; k++) {
      if (<i32>load<u8>(config + start + 1 + k) != key.charCodeAt(k)) { matches = false; break; }
    }
    if (matches && load<u8>(config + start + 1 + n) == 0x22) return start + n + 2;
  }
  return -1;
}

function skipSpaces(i: i32): i32 {
  while (i < configLength) {
    const c = load<u8>(config + i);
    if (c != 0x20 && c != 0x09 && c != 0x0a && c != 0x0d) break;
    i++;
  }
  return i;
}

/** A JSON record (or any ASCII text) built in a static buffer. */
const RECORD_CAPACITY: i32 = 2048;
export const record = memory.data(RECORD_CAPACITY);
export let recordLength: i32 = 0;

export function recordStart(): void {
  recordLength = 0;
}

/** Appends ASCII text; string literals only, so nothing needs escaping. */
export function recordAscii(text: string): void {
  for (let i = 0; i < text.length && recordLength < RECORD_CAPACITY; i++) {
    store<u8>(record + recordLength++, <u8>text.charCodeAt(i));
  }
}

export function recordInt(value: i64): void {
  if (value < 0) {
    recordAscii("-");
    if (value == i64.MIN_VALUE) { recordAscii("9223372036854775808"); return; }
    value = -value;
  }
  const digits = memory.data(20);
  let n = 0;
  do {
    store<u8>(digits + n++, <u8>(0x30 + value % 10));
    value /= 10;
  } while (value > 0);
  while (n > 0 && recordLength < RECORD_CAPACITY) store<u8>(record + recordLength++, load<u8>(digits + --n));
}

/** Appends `length` bytes of UTF-8 at `ptr` as a JSON string, quotes included. */
export function recordString(ptr: usize, length: i32): void {
  recordAscii("\"");
  for (let i = 0; i < length && recordLength + 6 < RECORD_CAPACITY; i++) {
    const c = load<u8>(ptr + i);
    if (c == 0x22 || c == 0x5c) {
      store<u8>(record + recordLength++, 0x5c);
      store<u8>(record + recordLength++, c);
    } else if (c < 0x20) {
      recordAscii("\\u00");
      store<u8>(record + recordLength++, hex(c >> 4));
      store<u8>(record + recordLength++, hex(c & 0xf));
    } else {
      store<u8>(record + recordLength++, c);
    }
  }
  recordAscii("\"");
}

function hex(nibble: u8): u8 {
  return nibble < 10 ? 0x30 + nibble : 0x61 + nibble - 10;
}

/** Writes an ASCII string literal at `at` and returns `at`: for output names and state keys. */
export function ascii(text: string, at: usize): usize {
  for (let i = 0; i < text.length; i++) store<u8>(at + i, <u8>text.charCodeAt(i));
  return at;
}
