// Test UDF whose start function never returns: it must be refused at load, inside the time budget.
import { ABI_VERSION, STATUS_DROPPED } from "../../main/assemblyscript/assembly/sightline";

let spins: i32 = 0;

// Top-level code runs in the module's start function. The global store keeps the optimizer from removing the loop.
while (spins >= 0) spins = (spins + 1) & 0x7fffffff;

export function abi_version(): i32 {
  return ABI_VERSION;
}

export function on_frame(frame: i32): i32 {
  return STATUS_DROPPED;
}
