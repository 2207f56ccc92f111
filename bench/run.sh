#!/usr/bin/env bash
# Builds Parley and the benchmark, then measures Parley against the same load sent straight to the
# fake model. Figures go to bench/results/ (and a plot to docs/); BENCHMARKS.md quotes them.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f target/parley.jar ] || mvn -B -q package -DskipTests
mvn -B -q -f bench/pom.xml package
java -Xmx2g -jar bench/target/parley-bench.jar "$@"
