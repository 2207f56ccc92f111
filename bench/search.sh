#!/usr/bin/env bash
# Search time at 10,000 and 100,000 stored messages on both stores (the embedded store's Lucene
# index; an external mongo-java-server, which Parley scans), through HTTP, in one JVM with the
# node (the external store runs in a process of its own): bench/search.sh [queries] [sizes...]
# (default: 200 queries, sizes 10000 100000). It runs Parley from the current sources (no jar
# needed). Figures go to bench/results/search.md; BENCHMARKS.md quotes them.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -Pbench -DskipTests -Dskip.frontend=true test-compile exec:exec@search -Dbench.args="$*"
