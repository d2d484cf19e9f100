// Test UDF importing a host function this host does not provide: refused at load as unlinkable.
import { ABI_VERSION } from "../../main/assemblyscript/assembly/sightline";

@external("sightline", "teleport")
declare function teleport(frame: i32): i32;

export function abi_version(): i32 {
  return ABI_VERSION;
}

export function on_frame(frame: i32): i32 {
  return teleport(frame);
}
