#!/usr/bin/env bash
# Startup time of the packaged jar in local mode: process start to the first HTTP 200 from /health/readiness.
# Usage: bench/startup.sh [runs]   (build first: ./mvnw -q package -DskipTests)
set -euo pipefail
runs=${1:-7}
jar=$(ls target/rotor-*.jar | grep -v original | head -n 1)
port=18765
times=()
for _ in $(seq "$runs"); do
  start=$(date +%s%N)
  MICRONAUT_ENVIRONMENTS=local PORT=$port java -jar "$jar" >/dev/null 2>&1 &
  pid=$!
  until curl -sf "http://127.0.0.1:$port/health/readiness" >/dev/null; do sleep 0.02; done
  end=$(date +%s%N)
  kill "$pid"; wait "$pid" 2>/dev/null || true
  times+=($(( (end - start) / 1000000 )))
done
sorted=$(printf '%s\n' "${times[@]}" | sort -n | tr '\n' ' ')
median=$(printf '%s\n' "${times[@]}" | sort -n | sed -n "$(( (runs + 1) / 2 ))p")
echo "startup to first readiness 200 (ms), $runs runs: $sorted"
echo "median: $median ms   jar: $jar $(du -h "$jar" | cut -f1)"
