#!/usr/bin/env bash
# Builds @NAME@.wasm from src/ with rustc alone: no cargo, no crates.io. Target wasm32-unknown-unknown:
# the module imports only the waPC functions.
# Needs rustc and the wasm32 standard library: on Debian or Ubuntu,
#   apt-get install rustc libstd-rust-dev-wasm32
# or with rustup: rustup target add wasm32-unknown-unknown
set -euo pipefail
cd "$(dirname "$0")"

target=wasm32-unknown-unknown
# The first rustc with the wasm32 standard library: $RUSTC, rustc on the PATH, then Debian's, which a
# rustup toolchain earlier on the PATH may hide.
rustc=""
for candidate in ${RUSTC:-} rustc /usr/bin/rustc; do
    if command -v "$candidate" >/dev/null 2>&1 &&
        [ -d "$("$candidate" --print target-libdir --target "$target" 2>/dev/null)" ]; then
        rustc="$candidate"
        break
    fi
done
if [ -z "$rustc" ]; then
    echo "build.sh: no rustc with the $target standard library. Install it with:" \
        "apt-get install rustc libstd-rust-dev-wasm32 (or: rustup target add $target)" >&2
    exit 1
fi

"$rustc" --edition 2021 --crate-type cdylib --crate-name @IDENT@ --target "$target" \
    -C opt-level=s -C lto -C strip=symbols -D warnings -o @NAME@.wasm src/lib.rs
echo "built @NAME@.wasm"
