#!/usr/bin/env bash
# What recording metrics costs (in-process with JMH, then over HTTP), and start-up against an older
# build, on this machine:
#   benchmarks/metrics-overhead.sh [rounds] [older-commit] [starts]
# Two sidecars from this tree's jar (one with --no-metrics) take turns under the same load; with
# an older commit, its jar is built from `git archive` in target/ and start→ready of both jars is
# measured alternately. Prints markdown tables (docs/performance.md, "Metrics").
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
work="$here/target/metrics-overhead"
rounds="${1:-10}"
older="${2:-}"
starts="${3:-8}"
mkdir -p "$work"

(cd "$root" && mvn -B -q package -pl plugin-server,benchmarks -am -DskipTests)
extra=()
if [[ -n "$older" ]]; then
    src="$work/older-$older"
    if [[ ! -f "$src/plugin-server/target/wasm-executor-plugin.jar" ]]; then
        rm -rf "$src" && mkdir -p "$src"
        git -C "$root" archive "$older" | tar -x -C "$src"
        (cd "$src" && mvn -B -q package -pl plugin-server -am -DskipTests -Dspotless.check.skip=true)
    fi
    cp "$src/plugin-server/target/wasm-executor-plugin.jar" "$work/wasm-executor-plugin-$older.jar"
    extra=("$work/wasm-executor-plugin-$older.jar" "$starts")
fi
mkdir -p "$work/modules"
cp "$root/executor/src/test/resources/wasm/echo.wasm" "$work/modules/echo.wasm"
cd "$root"
classpath="$here/target/classes:$(cat "$here/target/classpath.txt")"
echo "in-process, per step (JMH):"
java -cp "$classpath" org.openjdk.jmh.Main MetricsBenchmark -f 3 -wi 4 -w 1 -i 5 -r 1 \
    | grep -A3 '^Benchmark'
exec java -Dbench.modules="$work/modules" -cp "$here/target/classes:$(cat "$here/target/classpath.txt")" \
    io.argowasm.bench.MetricsOverheadRun "$root" "$work" "$rounds" "${extra[@]}"
