#!/usr/bin/env bash
# Measures the long-lived agent against fabric8's mock API server (docs/performance.md, "Agent
# mode"): task set written → result patched (p50/p99, warm greet module, one task set at a time),
# and tasks/s with 1 and 3 agents.
#   benchmarks/agent.sh [LATENCY_RUNS [TASK_SETS [TASKS_EACH]]]     defaults: 300 50 20
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
(cd "$root" && mvn -B -q package -pl plugin-server,benchmarks -am -DskipTests)
exec java -cp "$here/target/classes:$(cat "$here/target/classpath.txt")" \
    io.argowasm.bench.AgentRun "$root/examples/modules/greet/greet.wasm" "$@"
