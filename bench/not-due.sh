#!/usr/bin/env bash
# A pass over N managed secrets of which none is due, against the naive list-then-read approach.
# Usage: bench/not-due.sh [N]
set -euo pipefail
./mvnw -q -B test-compile dependency:build-classpath -Dmdep.outputFile=target/bench-cp.txt -Dmdep.includeScope=test
exec java -Xmx2g -cp "target/classes:target/test-classes:$(cat target/bench-cp.txt)" \
  dev.rotor.bench.NotDuePassBenchmark "${1:-10000}"
