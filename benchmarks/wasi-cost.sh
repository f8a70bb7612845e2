#!/usr/bin/env bash
# What one invocation of a WASI command costs in-process, warm (docs/module-authors.md, "Cost"):
# the C and Rust example commands through the executor in a loop.
#   benchmarks/wasi-cost.sh [RUNS]     default: 2000
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
(cd "$root" && mvn -B -q package -pl benchmarks -am -DskipTests)
exec java -cp "$here/target/classes:$(cat "$here/target/classpath.txt")" \
    io.argowasm.bench.WasiCommandCost "$root" "$@"
