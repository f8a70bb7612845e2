#!/usr/bin/env bash
# Measures the plugin and writes docs/performance.md with its charts in docs/performance/.
#   benchmarks/run.sh            the full run (about 15 minutes)
#   benchmarks/run.sh --quick    fewer, shorter repetitions: checks the harness in a few minutes
# Builds what it measures first: the plugin jar and its CDS archive, the compute kernels (wasm and
# native, from one C source), the large generated module, and the V8 harness's @wapc/host; the
# start-up section records the image's AOT cache with JDK 25 itself.
# Needs: a JDK 17, a JDK 25 (the image's; JAVA25_HOME, by default
# /usr/lib/jvm/temurin-25-jdk-amd64), Maven, clang with the wasm32-wasi sysroot (see
# examples/modules/build.sh), Node.js.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
work="$here/target/run"
modules="$work/modules"
include="$root/examples/modules/include"

for tool in java mvn clang wasm-ld node npm; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "run.sh: '$tool' is not installed; see the comment at the top of this script." >&2
        exit 1
    fi
done

image_jdk="${JAVA25_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
if [[ ! -x "$image_jdk/bin/java" ]]; then
    echo "run.sh: no JDK 25 at '$image_jdk'; set JAVA25_HOME to the JDK the image runs." >&2
    exit 1
fi

echo "[bench] building the plugin and the benchmarks" >&2
(cd "$root" && mvn -B -q package -pl plugin-server,benchmarks -am -DskipTests)

mkdir -p "$modules"
wasm_flags=(--target=wasm32-wasi -O2 -mexec-model=reactor -Wall -Wextra -Werror -I "$include"
    -Wl,--stack-first -Wl,--strip-all)

echo "[bench] building the kernels and the large module" >&2
cp "$root/executor/src/test/resources/wasm/echo.wasm" "$modules/echo.wasm"
cp "$root/examples/modules/greet/greet.wasm" "$modules/greet.wasm"
clang "${wasm_flags[@]}" -o "$modules/kernels.wasm" "$here/kernels/guest.c"
clang -O2 -Wall -Wextra -Werror -o "$work/kernels-native" "$here/kernels/native.c" -lm
# The large module takes a while to compile; it is rebuilt only when its generator changes.
if [[ ! -f "$modules/large.wasm" || "$here/kernels/generate-large.mjs" -nt "$modules/large.wasm" ]]; then
    node "$here/kernels/generate-large.mjs" "$work/large.c" 1600
    clang "${wasm_flags[@]}" -o "$modules/large.wasm" "$work/large.c"
fi

echo "[bench] installing @wapc/host for the V8 harness" >&2
(cd "$here/v8" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)

echo "[bench] load before the run: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
cd "$root"
exec java -cp "$here/target/classes:$(cat "$here/target/classpath.txt")" \
    io.argowasm.bench.RunAll --repo "$root" --work "$work" --image-jdk "$image_jdk" "$@"
