#!/usr/bin/env bash
# The send path measured in one JVM (Parley, the fake model and the client), without the cost of
# crossing processes. Figures go to bench/results/send-path.md; BENCHMARKS.md quotes them.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f target/parley.jar ] || mvn -B -q package -DskipTests
mvn -B -q -f bench/pom.xml package
java -cp target/parley.jar:bench/target/parley-bench.jar parley.bench.SendPathBenchmark "$@"
