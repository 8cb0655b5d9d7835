#!/usr/bin/env bash
# Run a command in a new empty folder outside the repository, removed
# afterwards: proof that what it runs needs no checkout (bin/elbconform).
#
#   scripts/in-empty-folder.sh "$PWD/bin/elbconform" run --report-dir "$PWD/reports/x"
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
dir="$(mktemp -d)"
trap 'rm -rf "$dir"' EXIT
cd "$dir"
# shellcheck source=scripts/run-relaying-signals.sh
. "$here/run-relaying-signals.sh"
run_relaying_signals "$@"
