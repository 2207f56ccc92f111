#!/usr/bin/env bash
# The send path measured in one JVM (Parley, the fake model and the client), without the cost of
# crossing processes: bench/send-path.sh [sends] (default 6000; the first half warms up). It runs
# Parley from the current sources (the root build's `bench` profile; no jar needed).
# Figures go to bench/results/send-path.md; BENCHMARKS.md quotes them.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -Pbench -DskipTests -Dskip.frontend=true test-compile exec:exec@send-path -Dbench.args="$*"
