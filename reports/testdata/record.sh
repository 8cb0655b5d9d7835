#!/bin/sh
# Re-records the Ginkgo JSON fixtures from the mini suite. Run from the
# repository root: sh reports/testdata/record.sh
# The "slow" label filter leaves DESC-PAGESIZE unrun on purpose, so the
# fixtures also cover a behaviour filtered out by labels.
set -eu
out=reports/testdata
go tool ginkgo --label-filter='!slow' --json-report=mixed.json --output-dir="$out" ./reports/testdata/minisuite || true
MINISUITE_SCENARIO=setup-fail go tool ginkgo --label-filter='!slow' --json-report=setup-fail.json --output-dir="$out" ./reports/testdata/minisuite || true
