#!/usr/bin/env bash
# Run a command against moto's server (moto_server), a third-party ELB Classic
# emulator: it listens on a free loopback port for as long as the command runs
# and is stopped by its PID afterwards, whether the command passed or failed.
# The command sees the standard AWS variables and CONFORMANCE_PROFILE=moto,
# CONFORMANCE_PRODUCT=moto and CONFORMANCE_PRODUCT_VERSION=<moto's version>.
#
#   scripts/with-moto.sh make conformance
#
# Where moto is not installed the script says so, runs nothing and exits 0
# (MOTO_REQUIRED=1 makes that an error).
set -euo pipefail

moto_server="$(command -v moto_server || true)"
python="${PYTHON:-python3}"
if [ -z "$moto_server" ] || ! version="$("$python" -c 'import moto; print(moto.__version__)' 2>/dev/null)"; then
  echo "with-moto: SKIPPED the moto target - moto_server is not installed (pip install 'moto[server]')"
  [ "${MOTO_REQUIRED:-}" = 1 ] && exit 1
  exit 0
fi

port="$("$python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"
log="$(mktemp)"
# moto_server runs in a process group of its own (job control is on while it
# starts), so a terminal's Ctrl-C does not stop it under the suite's cleanup;
# it is stopped after the command, by its process group.
set -m
"$moto_server" -H 127.0.0.1 -p "$port" >"$log" 2>&1 &
pid=$!
set +m
disown "$pid"
stop_moto() {
  kill -s INT -- "-$pid" 2>/dev/null || true
  for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -s KILL -- "-$pid" 2>/dev/null || true
  rm -f "$log"
}
trap stop_moto EXIT

url="http://127.0.0.1:$port"
for _ in $(seq 150); do
  curl -fsS -o /dev/null "$url/moto-api/" 2>/dev/null && break
  kill -0 "$pid" 2>/dev/null || { echo "with-moto: moto_server exited:"; cat "$log"; exit 1; }
  sleep 0.2
done
curl -fsS -o /dev/null "$url/moto-api/" || { echo "with-moto: moto_server did not answer at $url:"; cat "$log"; exit 1; }
echo "with-moto: moto $version (moto_server pid $pid) at $url"

export AWS_ENDPOINT_URL="$url"
export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test
export AWS_REGION="${AWS_REGION:-us-east-1}" AWS_DEFAULT_REGION="${AWS_REGION:-us-east-1}"
export CONFORMANCE_PROFILE=moto CONFORMANCE_PRODUCT=moto CONFORMANCE_PRODUCT_VERSION="$version"

# shellcheck source=scripts/run-relaying-signals.sh
. "$(dirname "$0")/run-relaying-signals.sh"
run_relaying_signals "$@"
