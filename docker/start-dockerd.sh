#!/usr/bin/env bash
# Starts a Docker engine in the background unless one already answers. Idempotent: safe to call
# from every test run. The engine runs without iptables and without the default bridge, because
# the CI machine has neither netfilter rules to spare nor a bridge module; containers therefore
# use `--network host`.
#
#   docker/start-dockerd.sh            # start (or find) the engine, wait until it answers
#   DOCKERD_LOG=/tmp/x.log docker/start-dockerd.sh
#
# Exit codes: 0 engine answers, 1 no dockerd binary, 2 dockerd did not come up (see the log).
set -euo pipefail

log_file="${DOCKERD_LOG:-/tmp/ecs-gitops-dockerd.log}"
socket="${DOCKER_SOCKET:-/var/run/docker.sock}"
timeout_s="${DOCKERD_START_TIMEOUT:-60}"

answers() {
  docker version --format '{{.Server.Version}}' >/dev/null 2>&1
}

if answers; then
  echo "dockerd: already running ($(docker version --format '{{.Server.Version}}'))"
  exit 0
fi

if ! command -v dockerd >/dev/null 2>&1; then
  echo "dockerd: not installed (apt-get install -y docker.io)" >&2
  exit 1
fi

# A stale pid file from a killed engine would make the new one refuse to start.
pid_file=/var/run/docker.pid
if [[ -f "$pid_file" ]] && ! kill -0 "$(cat "$pid_file")" 2>/dev/null; then
  rm -f "$pid_file"
fi

if [[ ! -f "$pid_file" ]]; then
  # setsid: the engine must outlive the shell (and test process) that started it.
  setsid dockerd --iptables=false --ip-masq=false --bridge=none --host="unix://$socket" \
    >>"$log_file" 2>&1 </dev/null &
  echo "dockerd: started (pid $!, log $log_file)"
fi

for _ in $(seq 1 "$timeout_s"); do
  if answers; then
    echo "dockerd: ready ($(docker version --format '{{.Server.Version}}'))"
    exit 0
  fi
  sleep 1
done
echo "dockerd: no answer on $socket after ${timeout_s}s; last log lines:" >&2
tail -n 20 "$log_file" >&2 || true
exit 2
