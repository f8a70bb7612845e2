#!/usr/bin/env bash
# Rebuilds every WebAssembly module of the project from its source, in place:
#   examples/modules/{greet,wordcount,textstats}          the example waPC guests
#   examples/modules/{shout,rust-stats,ferris-says}       the example WASI commands (Rust: /usr/bin/rustc)
#   executor/src/test/resources/wasm/                      the test guests
#   executor/src/test/resources/wasm/hostile/              the hostile test guests (needs python3)
# The built .wasm files are committed; after running this, `git status` shows whether they changed.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
tests="$root/executor/src/test/resources/wasm"

debian_packages="clang lld wasi-libc libclang-rt-14-dev-wasm32 wabt"

require() {
    local tool="$1" hint="$2"
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "build.sh: '$tool' is not installed. $hint" >&2
        exit 1
    fi
}

require clang "Install it with: apt-get install -y $debian_packages"
require wasm-ld "Install it with: apt-get install -y $debian_packages"
require wat2wasm "Install it with: apt-get install -y $debian_packages"
require node "Install Node.js 18 or newer (with npm) to build the AssemblyScript example."
require npm "Install Node.js 18 or newer (with npm) to build the AssemblyScript example."

scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT

# Linking a trivial reactor shows whether the WASI sysroot and the wasm32 compiler runtime exist.
echo 'void probe(void) {}' >"$scratch/probe.c"
if ! clang --target=wasm32-wasi -mexec-model=reactor -o "$scratch/probe.wasm" "$scratch/probe.c" \
    2>"$scratch/probe.log"; then
    cat "$scratch/probe.log" >&2
    echo "build.sh: clang cannot link for wasm32-wasi (WASI sysroot or compiler runtime missing)." \
        "Install them with: apt-get install -y $debian_packages" >&2
    exit 1
fi

c_flags=(--target=wasm32-wasi -O2 -mexec-model=reactor -Wall -Wextra -Werror
    -I "$here/include" -Wl,--stack-first -Wl,--strip-all)

# build_c OUTPUT SOURCE: one C source file, one reactor module.
build_c() {
    clang "${c_flags[@]}" -o "$1" "$2"
    chmod 644 "$1"
    echo "built $1"
}

build_wat() {
    wat2wasm -o "${1%.wat}.wasm" "$1"
    echo "built ${1%.wat}.wasm"
}

# build_command OUTPUT SOURCE: one C source file, one WASI command (exports _start).
build_command() {
    clang --target=wasm32-wasi -O2 -Wall -Wextra -Werror -I "$here/include" -Wl,--stack-first \
        -Wl,--strip-all -o "$1" "$2"
    chmod 644 "$1"
    echo "built $1"
}

# build_rust OUTPUT SOURCE: a Rust WASI command with the standard library only. Debian's rustc
# (package rustc with libstd-rust-dev-wasm32) has the wasm32-wasi target; no crate registry is used.
rustc_wasi="${RUSTC_WASI:-/usr/bin/rustc}"
build_rust() {
    "$rustc_wasi" --edition 2021 --target wasm32-wasi -C opt-level=s -C strip=symbols \
        --remap-path-prefix "$root=." -o "$1" "$2"
    chmod 644 "$1"
    echo "built $1"
}

build_c "$here/greet/greet.wasm" "$here/greet/greet.c"
build_c "$here/wordcount/wordcount.wasm" "$here/wordcount/wordcount.c"

(
    cd "$here/textstats"
    npm ci --no-audit --no-fund --loglevel=error
    npm run --silent build
)
echo "built $here/textstats/textstats.wasm"

if [ -x "$rustc_wasi" ]; then
    build_rust "$here/rust-stats/rust-stats.wasm" "$here/rust-stats/main.rs"
    build_rust "$here/ferris-says/ferris-says.wasm" "$here/ferris-says/main.rs"
else
    echo "build.sh: $rustc_wasi is missing; the Rust examples are kept as built." \
        "Install them with: apt-get install -y rustc libstd-rust-dev-wasm32" >&2
fi
build_command "$here/shout/shout.wasm" "$here/shout/shout.c"

build_c "$tests/conformance.wasm" "$tests/conformance.c"
build_command "$tests/wasi-probe.wasm" "$tests/wasi-probe.c"
for wat in "$tests"/*.wat; do
    build_wat "$wat"
done

# Broken modules for the loader's error paths: half of a valid module, and text that is no module.
head -c "$(($(wc -c <"$tests/echo.wasm") / 2))" "$tests/echo.wasm" >"$tests/truncated.wasm"
echo "built $tests/truncated.wasm"
printf 'this is a text file, not a WebAssembly module\n' >"$tests/not-wasm.wasm"
echo "built $tests/not-wasm.wasm"

"$tests/hostile/build.sh"
