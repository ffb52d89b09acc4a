# shellcheck shell=bash
# Sourced by .ci/image-check and bench/image-startup.sh: Rotor's image in cloud mode, the production path,
# against a standalone emulator started from the same image. Rotor runs without the local environment, its
# Google endpoints pointed at the emulator over loopback plaintext with rotor.credentials=none: the only mix
# FakesGuard allows off Cloud Run, with the same channels, clients and readiness checks as on Google.
# Needs CONTAINERS_CONF set up for podman as the caller does, and python3 and podman.

cloud_free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# Starts the emulator from IMAGE on free loopback ports (at most 60 s). Sets cloud_emulator (its container)
# and cloud_env (the podman run arguments that point Rotor at it).
cloud_emulator_start() {
  local image=$1 grpc http deadline
  grpc=$(cloud_free_port)
  http=$(cloud_free_port)
  cloud_emulator=$(podman run -d --network=host --entrypoint /usr/bin/java "$image" -cp /app/rotor.jar \
    dev.rotor.local.EmulatorMain --port "$grpc" --http-port "$http")
  deadline=$(( $(date +%s) + 60 ))
  until podman logs "$cloud_emulator" 2>/dev/null | grep -q '^rotor-emulator '; do
    if [ "$(date +%s)" -ge "$deadline" ]; then
      podman logs "$cloud_emulator" | tail -20 >&2
      echo "the standalone emulator did not start within 60 s" >&2
      return 1
    fi
    sleep 0.1
  done
  cloud_env=(-e ROTOR_PROJECTS=demo-project -e ROTOR_CREDENTIALS=none -e ROTOR_AUTH_MODE=cloud-run
    -e ROTOR_AUTH_AUDIENCES=https://rotor.example -e ROTOR_GCP_COMPUTE_ENDPOINT="http://127.0.0.1:$http/")
  local service
  for service in SECRET_MANAGER KMS IAM_CREDENTIALS IAM_ADMIN CLOUD_RUN CONTAINER; do
    cloud_env+=(-e "ROTOR_GCP_${service}_ENDPOINT=127.0.0.1:$grpc" -e "ROTOR_GCP_${service}_PLAINTEXT=true")
  done
}

cloud_emulator_stop() {
  if [ -n "${cloud_emulator:-}" ]; then podman rm -f "$cloud_emulator" >/dev/null 2>&1 || true; fi
  cloud_emulator=""
}

# The CPU time (user+system, all threads, ms) the container's main process has used so far.
cloud_cpu_ms() {
  local pid
  pid=$(podman inspect -f '{{.State.Pid}}' "$1")
  awk -v t="$(getconf CLK_TCK)" '{print int(($14 + $15) * 1000 / t)}' "/proc/$pid/stat"
}
