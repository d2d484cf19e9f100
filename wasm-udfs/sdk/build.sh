#!/usr/bin/env bash
# Builds Rust and C UDFs against the SDKs in this folder; the Maven build of wasm-udfs runs it.
#   build.sh rust-lib OUT_DIR                  the Rust SDK as OUT_DIR/libsightline.rlib
#   build.sh rust SDK_DIR SOURCE.rs OUT.wasm   a Rust UDF (one file) against the SDK built in SDK_DIR
#   build.sh c SOURCE.c OUT.wasm               a C UDF (one file) against sightline.h
# Fails with the apt packages to install when a compiler is missing: nothing is skipped.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
rustc=/usr/bin/rustc

require_rust() {
  if [ ! -x "$rustc" ]; then
    echo "error: $rustc not found: the Rust SDK and its tests need Debian's Rust with the wasm32 standard library:" >&2
    echo "  apt-get install -y rustc libstd-rust-dev-wasm32" >&2
    exit 1
  fi
  if ! ls "$("$rustc" --print target-libdir --target wasm32-unknown-unknown 2>/dev/null)"/libstd-*.rlib >/dev/null 2>&1; then
    echo "error: $rustc has no wasm32-unknown-unknown standard library:" >&2
    echo "  apt-get install -y libstd-rust-dev-wasm32" >&2
    exit 1
  fi
}

require_clang() {
  if ! command -v clang >/dev/null || ! command -v wasm-ld >/dev/null; then
    echo "error: clang and wasm-ld not found: the C SDK and its tests need Debian's clang and lld:" >&2
    echo "  apt-get install -y clang lld" >&2
    exit 1
  fi
}

rust_flags=(--edition 2021 --target wasm32-unknown-unknown -O -C strip=symbols)

case "${1:-}" in
  rust-lib)
    require_rust
    mkdir -p "$2"
    "$rustc" "${rust_flags[@]}" --crate-type rlib --crate-name sightline "$here/rust/src/lib.rs" --out-dir "$2"
    ;;
  rust)
    require_rust
    mkdir -p "$(dirname "$4")"
    "$rustc" "${rust_flags[@]}" -C lto --crate-type cdylib --crate-name udf \
      --extern sightline="$2/libsightline.rlib" "$3" -o "$4"
    ;;
  c)
    require_clang
    mkdir -p "$(dirname "$3")"
    clang --target=wasm32 -O2 -nostdlib -Wl,--no-entry -Wl,--strip-all -I "$here/c" "$2" -o "$3"
    ;;
  *)
    echo "usage: build.sh rust-lib OUT_DIR | rust SDK_DIR SOURCE.rs OUT.wasm | c SOURCE.c OUT.wasm" >&2
    exit 2
    ;;
esac
