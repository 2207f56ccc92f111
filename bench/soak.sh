#!/usr/bin/env bash
# Parley at a steady arrival rate for a long while, beside idle subscribers:
# bench/soak.sh [minutes] [per second] [idle] (default 10 20 300). Figures: bench/results/soak.md,
# docs/bench-soak.png.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -f target/parley.jar ]; then
  build=(-Dskip.frontend=true test-compile)
else
  build=(package)
fi
mvn -B -q -Pbench -DskipTests "${build[@]}" exec:exec@soak -Dbench.args="$*"
