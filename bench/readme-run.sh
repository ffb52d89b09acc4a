#!/usr/bin/env bash
# From the README's run command to the first HTTP 200 from /health/readiness (PORT is a free port).
# Usage: bench/readme-run.sh [runs] [command...]      (default command: ./rotor local)
# For a cold start pass an empty Maven repository: MAVEN_ARGS=-Dmaven.repo.local=$(mktemp -d) bench/readme-run.sh 1
set -euo pipefail
runs=${1:-3}
shift || true
cmd=("$@")
[ ${#cmd[@]} -gt 0 ] || cmd=(./rotor local)
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
log=$(mktemp)
times=()
for _ in $(seq "$runs"); do
  start=$(date +%s%N)
  PORT=$port setsid "${cmd[@]}" >"$log" 2>&1 &
  pid=$!
  # the URL Micronaut logs ("Server Running: http://localhost:PORT"): mn:run picks its own port
  until url=$(grep -o 'Server Running: http://[^ ]*' "$log" | head -n 1 | cut -d' ' -f3) && [ -n "$url" ] &&
    curl -sf "${url%/}/health/readiness" >/dev/null; do
    kill -0 "$pid" 2>/dev/null || { echo "the command ended before readiness:" >&2; tail -20 "$log" >&2; exit 1; }
    sleep 0.1
  done
  end=$(date +%s%N)
  kill -- "-$pid"
  wait "$pid" 2>/dev/null || true
  times+=($(( (end - start) / 1000000 )))
done
rm -f "$log"
echo "${cmd[*]}: command to first readiness 200 (ms), $runs runs: $(printf '%s\n' "${times[@]}" | sort -n | tr '\n' ' ')"
