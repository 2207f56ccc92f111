#!/usr/bin/env bash
# Measures Parley against the same load sent straight to the fake model, at rising concurrency:
# bench/run.sh [levels...] (default 100 250 500 1000 2000). Parley runs as its own process from
# target/parley.jar, built here only when missing; the benchmark is the root build's `bench`
# profile. Figures go to bench/results/ (and a plot to docs/); BENCHMARKS.md quotes them.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -f target/parley.jar ]; then
  build=(-Dskip.frontend=true test-compile)
else
  build=(package)
fi
mvn -B -q -Pbench -DskipTests "${build[@]}" exec:exec@relay -Dbench.args="$*"
