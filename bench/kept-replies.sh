#!/usr/bin/env bash
# What a finished reply kept for replay costs, in one JVM: bench/kept-replies.sh [replies]
# [retention seconds] (default 5000 120; the retention must outlast the run). It runs Parley from
# the current sources (the root build's `bench` profile; no jar needed).
# Figures go to bench/results/kept-replies.md; BENCHMARKS.md quotes them.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -Pbench -DskipTests -Dskip.frontend=true test-compile exec:exec@kept-replies -Dbench.args="$*"
