#!/usr/bin/env bash
# Runs one benchmark class from src/test/java/dev/rotor/bench with the test classpath.
# Usage: bench/java.sh ClassName [args...]   e.g. bench/java.sh NotDuePassBenchmark 10000
set -euo pipefail
cd "$(dirname "$0")/.."
cls=$1; shift
./mvnw -q -B test-compile dependency:build-classpath -Dmdep.outputFile=target/bench-cp.txt -Dmdep.includeScope=test
exec java -Xmx2g --enable-native-access=ALL-UNNAMED -cp "target/classes:target/test-classes:$(cat target/bench-cp.txt)" \
  "dev.rotor.bench.$cls" "$@"
