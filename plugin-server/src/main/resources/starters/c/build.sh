#!/usr/bin/env bash
# Builds @NAME@.wasm from @NAME@.c: a WASI reactor module, as the plugin loads it.
# Needs clang, wasm-ld and the WASI sysroot: on Debian or Ubuntu,
#   apt-get install clang lld wasi-libc libclang-rt-14-dev-wasm32
set -euo pipefail
cd "$(dirname "$0")"

packages="clang lld wasi-libc libclang-rt-14-dev-wasm32"
for tool in clang wasm-ld; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "build.sh: '$tool' is not installed. Install it with: apt-get install $packages" >&2
        exit 1
    fi
done

if ! clang --target=wasm32-wasi -O2 -mexec-model=reactor -Wall -Wextra -Werror -I . \
    -Wl,--strip-all -o @NAME@.wasm @NAME@.c; then
    echo "build.sh: clang could not build @NAME@.wasm. If it cannot find the WASI sysroot" \
        "(stdlib.h) or libclang_rt.builtins-wasm32.a, install: apt-get install $packages" >&2
    exit 1
fi
echo "built @NAME@.wasm"
