#!/usr/bin/env bash
# The relay under bursts and arrival rates, side by side in one run: the fake model direct, the
# Express peer (when PARLEY_BENCH_PEER names its directory, npm-installed), Parley on its embedded
# store and Parley on an external MongoDB-wire store. bench/run.sh [quick]: quick runs each
# arrival rate for 10 s instead of 60. Figures: bench/results/burst.md, docs/bench-*.png.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -f target/parley.jar ]; then
  build=(-Dskip.frontend=true test-compile)
else
  build=(package)
fi
mvn -B -q -Pbench -DskipTests "${build[@]}" exec:exec@relay -Dbench.args="$*"
