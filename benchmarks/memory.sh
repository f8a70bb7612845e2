#!/usr/bin/env bash
# Measures the sidecar's resident memory under candidate JVM settings (docs/performance.md,
# "Memory"): idle after start-up and after a 32-client warm run, each candidate started STARTS
# times in turn; writes docs/performance/memory.md, which benchmarks/run.sh keeps in the page.
#   benchmarks/memory.sh [--starts N] [--seconds S]      defaults: 3 starts, 30 s of load
# The JDK 25 candidates run on JAVA25_HOME (default /usr/lib/jvm/temurin-25-jdk-amd64).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
image_jdk="${JAVA25_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
if [[ ! -x "$image_jdk/bin/java" ]]; then
    echo "memory.sh: no JDK 25 at '$image_jdk'; set JAVA25_HOME to the JDK the image runs." >&2
    exit 1
fi
(cd "$root" && mvn -B -q package -pl plugin-server,benchmarks -am -DskipTests)
echo "[memory] load before the run: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
exec java -cp "$here/target/classes:$(cat "$here/target/classpath.txt")" \
    io.argowasm.bench.MemoryRun --repo "$root" --work "$here/target/run" --image-jdk "$image_jdk" "$@"
