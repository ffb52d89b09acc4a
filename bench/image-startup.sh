#!/usr/bin/env bash
# Cloud-mode start of Rotor's image: podman run to the first liveness 200, for two images started
# alternately (so each pair sees the same load on a shared machine). Build them first, e.g. with
# .ci/image-check (tags localhost/rotor-ci/rotor:check) and podman build --build-arg JVM_OPTIONS=....
# Usage: bench/image-startup.sh IMAGE_A IMAGE_B [pairs]
set -euo pipefail
a=$1 b=$2 pairs=${3:-4}
conf=$(mktemp)
trap 'rm -f "$conf"' EXIT
printf '[containers]\ndefault_ulimits = ["nofile=20000:20000", "nproc=4096:4096"]\n[engine]\nruntime = "runc"\n' >"$conf"
export CONTAINERS_CONF=$conf
for _ in $(seq "$pairs"); do
  for image in "$a" "$b"; do
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    t0=$(date +%s%3N)
    # This machine has no Google credentials, so readiness (which builds the clients with them) stays 503,
    # and Rotor refuses rotor.credentials=none towards Google: liveness is what is measured. No Google API
    # is called.
    cid=$(podman run -d --network=host -e ROTOR_PROJECTS=demo-project \
      -e ROTOR_AUTH_AUDIENCE=https://rotor.example -e PORT="$port" "$image")
    until [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/health/liveness")" = 200 ]; do sleep 0.02; done
    t1=$(date +%s%3N)
    echo "$image liveness 200 after $((t1 - t0)) ms; $(podman logs "$cid" 2>&1 | grep -o 'Startup completed in [0-9]*ms'); load $(cut -d' ' -f1 /proc/loadavg)"
    podman rm -f "$cid" >/dev/null
  done
done
