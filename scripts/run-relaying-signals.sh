# Sourced by the with-*.sh scripts: run_relaying_signals CMD... runs the
# command in a process group of its own and relays SIGINT, SIGTERM and SIGHUP
# to it, so that a terminal's Ctrl-C and a SIGTERM sent to the script alone (as
# CI systems do) both reach it once; the script's EXIT trap (which stops its
# server) runs only after the command has finished its cleanup. It exits with
# the command's status.
run_relaying_signals() {
  set -m
  "$@" &
  child=$!
  set +m
  relay() { kill -s "$1" -- "-$child" 2>/dev/null || true; }
  trap 'relay INT' INT
  trap 'relay TERM' TERM
  trap 'relay HUP' HUP
  local status=0
  while :; do
    if wait "$child"; then status=0; else status=$?; fi
    kill -0 "$child" 2>/dev/null || break
  done
  exit "$status"
}
