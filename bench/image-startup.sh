#!/usr/bin/env bash
# Cloud-mode start of Rotor's image, the production path (.ci/cloud-mode.sh): podman run to the first
# readiness 200, for two images started alternately (so each pair sees the same load on a shared machine),
# with the JVM CPU time used up to that 200 (user+system, all threads), which the machine's load sways less
# than wall time. Build the images first, e.g. .ci/image-check (tags localhost/rotor-ci/rotor:check).
# Usage: bench/image-startup.sh IMAGE_A IMAGE_B [pairs]
set -euo pipefail
cd "$(dirname "$0")/.."
a=$1 b=$2 pairs=${3:-4}
# shellcheck source=.ci/cloud-mode.sh
. .ci/cloud-mode.sh
conf=$(mktemp)
trap 'cloud_emulator_stop; rm -f "$conf"' EXIT
printf '[containers]\ndefault_ulimits = ["nofile=20000:20000", "nproc=4096:4096"]\n[engine]\nruntime = "runc"\n' >"$conf"
export CONTAINERS_CONF=$conf
cloud_emulator_start "$a"

declare -A walls cpus
for _ in $(seq "$pairs"); do
  for image in "$a" "$b"; do
    port=$(cloud_free_port)
    t0=$(date +%s%3N)
    cid=$(podman run -d --network=host "${cloud_env[@]}" -e PORT="$port" "$image")
    until [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/health/readiness")" = 200 ]; do
      if [ "$(podman inspect -f '{{.State.Running}}' "$cid")" != true ]; then
        podman logs "$cid" | tail -20 >&2
        echo "bench: $image stopped before readiness 200" >&2
        exit 1
      fi
      sleep 0.02
    done
    t1=$(date +%s%3N)
    cpu=$(cloud_cpu_ms "$cid")
    echo "$image readiness 200 after $((t1 - t0)) ms, JVM CPU $cpu ms; $(podman logs "$cid" 2>&1 | grep -o 'Startup completed in [0-9]*ms'); load $(cut -d' ' -f1 /proc/loadavg)"
    walls[$image]+="$((t1 - t0)) "
    cpus[$image]+="$cpu "
    podman rm -f "$cid" >/dev/null
  done
done
median() { tr ' ' '\n' | grep . | sort -n | awk '{v[NR]=$1} END {print v[int((NR + 1) / 2)]}'; }
for image in "$a" "$b"; do
  echo "$image: median readiness $(median <<<"${walls[$image]}") ms, median JVM CPU $(median <<<"${cpus[$image]}") ms over $pairs runs"
done
