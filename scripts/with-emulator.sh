#!/usr/bin/env bash
# Run a command against a separately started reference emulator, the way a
# user points the suite at any endpoint: the emulator binary listens on a free
# loopback port and the command sees only the standard AWS variables.
#
#   scripts/with-emulator.sh make conformance
#
# Extra emulator flags: EMULATOR_FLAGS="-registration-delay 300ms".
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
bin="$root/bin/elb-emulator"
mkdir -p "$root/bin"
(cd "$root" && CGO_ENABLED=0 go build -o "$bin" ./cmd/elb-emulator)

log="$(mktemp)"
# The emulator runs in a process group of its own (job control is on while it
# starts), so a terminal's Ctrl-C does not stop it under the suite's cleanup;
# it is stopped after the command, by its process group.
set -m
# shellcheck disable=SC2086
"$bin" -addr 127.0.0.1:0 ${EMULATOR_FLAGS:-} >"$log" 2>&1 &
pid=$!
set +m
disown "$pid"
stop_emulator() {
  kill -- "-$pid" 2>/dev/null || true
  for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -s KILL -- "-$pid" 2>/dev/null || true
  rm -f "$log"
}
trap stop_emulator EXIT

url=""
for _ in $(seq 100); do
  url="$(sed -n 's/.*listening on \(http:[^ ]*\).*/\1/p' "$log" | head -n1)"
  [ -n "$url" ] && curl -fsS "$url/healthz" >/dev/null 2>&1 && break
  kill -0 "$pid" 2>/dev/null || { echo "elb-emulator exited:"; cat "$log"; exit 1; }
  sleep 0.1
done
[ -n "$url" ] || { echo "elb-emulator did not report its address:"; cat "$log"; exit 1; }
echo "with-emulator: elb-emulator (pid $pid) at $url"

export AWS_ENDPOINT_URL="$url"
export AWS_ACCESS_KEY_ID="${AWS_ACCESS_KEY_ID:-test}" AWS_SECRET_ACCESS_KEY="${AWS_SECRET_ACCESS_KEY:-test}"
export AWS_REGION="${AWS_REGION:-us-east-1}"

# shellcheck source=scripts/run-relaying-signals.sh
. "$(dirname "$0")/run-relaying-signals.sh"
run_relaying_signals "$@"
