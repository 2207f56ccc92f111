#!/usr/bin/env bash
# Makes an ahead-of-time cache for target/parley.jar on a JDK 25 (PARLEY_BENCH_JAVA, its home): the
# node then starts warm with `java -XX:AOTCache=<file> -jar target/parley.jar`. bench/aot-cache.sh
# [cache file] (default target/parley.aot). About 2 minutes; see README, "Java 25 and a warm start".
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f target/parley.jar ]; then
  mvn -B -q -DskipTests package
fi
mvn -B -q -Pbench -DskipTests -Dskip.frontend=true test-compile exec:exec@aot-cache -Dbench.args="$*"
