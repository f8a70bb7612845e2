#!/usr/bin/env bash
# Renders docs/observability/wasm-executor-plugin-dashboard.png from real data: a sidecar serves
# succeeding, failing, timing-out and memory-hungry steps while Debian's prometheus scrapes it, and
# each panel of the dashboard JSON is drawn from Prometheus' answer to its own PromQL.
#   benchmarks/dashboard.sh [minutes]   (default 6)
# Needs: a JDK 17, Maven, prometheus on PATH (apt-get install prometheus).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"

if ! command -v prometheus >/dev/null 2>&1; then
    echo "dashboard.sh: prometheus is not installed (apt-get install prometheus)" >&2
    exit 1
fi
(cd "$root" && mvn -B -q package -pl plugin-server,benchmarks -am -DskipTests)
cd "$root"
exec java -cp "$here/target/classes:$(cat "$here/target/classpath.txt")" \
    io.argowasm.bench.DashboardDemo "$root" "$here/target/dashboard" "${1:-6}"
