#!/bin/sh
# Re-records the Ginkgo JSON fixtures from the mini suite. Run from the
# repository root: sh reports/testdata/record.sh
# The "slow" label filter leaves DESC-PAGESIZE unrun on purpose, so the
# fixtures also cover a behaviour filtered out by labels.
set -eu
out=reports/testdata
go tool ginkgo --label-filter='!slow' --json-report=mixed.json --output-dir="$out" ./reports/testdata/minisuite || true
MINISUITE_SCENARIO=setup-fail go tool ginkgo --label-filter='!slow' --json-report=setup-fail.json --output-dir="$out" ./reports/testdata/minisuite || true
# The recordings must not carry this machine's paths: the repository root
# becomes /repo (the tests take the root from SuitePath).
sed -i "s#$(pwd)/#/repo/#g" "$out/mixed.json" "$out/setup-fail.json"
