#!/usr/bin/env bash
# Startup time of the packaged jar in local mode: process start to the first HTTP 200 from /health/readiness.
# Usage: bench/startup.sh [runs]   (build first: ./mvnw -q package -DskipTests)
#        bench/startup.sh --aot [runs]   trains a Java AOT cache on the same jar first, then starts with it
set -euo pipefail
aot=""
if [ "${1:-}" = "--aot" ]; then aot=target/rotor.aot; shift; fi
runs=${1:-7}
jar=""
for candidate in target/rotor-*.jar; do
  case "$candidate" in *original*) ;; *) jar=$candidate ;; esac
done
[ -n "$jar" ] || { echo "no jar in target/: run ./mvnw -q package -DskipTests first" >&2; exit 1; }
port=18765
if [ -n "$aot" ]; then
  # training run: start, serve a few requests, stop; the JVM writes the cache at exit
  MICRONAUT_ENVIRONMENTS=local PORT=$port java -XX:AOTCacheOutput="$aot" -jar "$jar" >/dev/null 2>&1 &
  pid=$!
  until curl -sf "http://127.0.0.1:$port/health/readiness" >/dev/null; do sleep 0.1; done
  curl -sf "http://127.0.0.1:$port/local/endpoints" >/dev/null; sleep 3
  kill "$pid"; wait "$pid" 2>/dev/null || true
  opts="-XX:AOTCache=$aot"
else
  opts=""
fi
times=()
for _ in $(seq "$runs"); do
  start=$(date +%s%N)
  # shellcheck disable=SC2086
  MICRONAUT_ENVIRONMENTS=local PORT=$port java $opts -jar "$jar" >/dev/null 2>&1 &
  pid=$!
  until curl -sf "http://127.0.0.1:$port/health/readiness" >/dev/null; do sleep 0.02; done
  end=$(date +%s%N)
  kill "$pid"; wait "$pid" 2>/dev/null || true
  times+=($(( (end - start) / 1000000 )))
done
sorted=$(printf '%s\n' "${times[@]}" | sort -n | tr '\n' ' ')
median=$(printf '%s\n' "${times[@]}" | sort -n | sed -n "$(( (runs + 1) / 2 ))p")
echo "startup to first readiness 200 (ms), $runs runs: $sorted"
echo "median: $median ms   jar: $jar $(du -h "$jar" | cut -f1)${aot:+   AOT cache: $aot $(du -h "$aot" | cut -f1)}"
