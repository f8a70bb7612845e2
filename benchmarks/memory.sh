#!/usr/bin/env bash
# Measures the sidecar's resident memory under candidate JVM settings (docs/performance.md,
# "Memory"): idle after start-up and after a 32-client warm run, each candidate started STARTS
# times in turn; writes docs/performance/memory.md, which benchmarks/run.sh keeps in the page.
#   benchmarks/memory.sh [--starts N] [--seconds S]      defaults: 3 starts, 30 s of load
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
(cd "$root" && mvn -B -q package -pl plugin-server,benchmarks -am -DskipTests)
echo "[memory] load before the run: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
exec java -cp "$here/target/classes:$(cat "$here/target/classpath.txt")" \
    io.argowasm.bench.MemoryRun --repo "$root" --work "$here/target/run" "$@"
