#!/usr/bin/env bash
# Run the whole suite against the reference emulator at AWS's timings and report what the
# run took and used, to tell what the same run takes and costs on real AWS:
#
#   scripts/bench-aws-timings.sh REPORT_DIR      (make bench-aws-timings builds bin/elbconform first)
#
# BENCH_PROCS: Ginkgo processes (default 8, as a run against real AWS). LABELS: a Ginkgo label
# filter, to measure a subset. Writes REPORT_DIR/bench-aws-timings.md, and the run's own
# reports to REPORT_DIR/bench-aws-timings/. The suite's verdict does not stop the
# measurement: the table says how many specs failed, and the script exits with the suite's
# status after writing it.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"

# AWS's timings (docs/sources.md 24): an instance runs 15 s after RunInstances (stopping and
# shutting-down take as long); health checks run unscaled, at the interval the fixtures
# configure (5 s, healthy after 2 passes); connection draining lasts what the attributes say.
# The profile aws-timings (ginkgo.yml) gives the run the aws profile's patience.
timing_flags="-instance-start-delay 15s -health-check-scale 1"

# On-Demand prices in us-east-1 (docs/sources.md 24): t3.micro per hour, billed per second
# with a 60 s minimum; a Classic load balancer per hour or partial hour.
price_instance_hour=0.0104
price_lb_hour=0.025

# field NAME JSON: the number NAME in a flat JSON object.
field() { sed -n "s/.*\"$1\":\([-0-9.e+]*\).*/\1/p" <<<"$2"; }

# patience: the aws-timings profile's eventually settings, as the binary that runs has them,
# and the environment's overrides.
patience() {
  local p
  p=$("$root/bin/elbconform" profiles --yaml | awk '/^  aws-timings:/ { in_profile = 1 } in_profile && /eventually:/ { sub(/^ *eventually: */, ""); print; exit }')
  printf '%s' "${p:-unknown}"
  [ -n "${CONFORMANCE_EVENTUALLY_TIMEOUT:-}" ] && printf ', CONFORMANCE_EVENTUALLY_TIMEOUT=%s' "$CONFORMANCE_EVENTUALLY_TIMEOUT"
  [ -n "${CONFORMANCE_EVENTUALLY_POLLING:-}" ] && printf ', CONFORMANCE_EVENTUALLY_POLLING=%s' "$CONFORMANCE_EVENTUALLY_POLLING"
  return 0
}

measure() {
  local out="$1" runs="$1/bench-aws-timings" procs="${BENCH_PROCS:-8}"
  local filter=()
  [ -n "${LABELS:-}" ] && filter=(-- "--label-filter=${LABELS}")
  rm -rf "$runs" && mkdir -p "$runs"

  local start end status=0
  start=$(date +%s)
  "$root/bin/elbconform" run --profile aws-timings --report-dir "$runs" --procs "$procs" "${filter[@]}" || status=$?
  end=$(date +%s)
  local usage
  usage=$(curl -fsS "$AWS_ENDPOINT_URL/_emulator/usage")

  local wall=$((end - start)) specs retried busiest failures
  specs=$(sed -n 's/^Specs: \(.*\)\.$/\1/p' "$runs/conformance.md" 2>/dev/null || true)
  retried=$(sed -n 's/^| Retried calls | \(.*\) |$/\1/p' "$runs/conformance.md" 2>/dev/null || true)
  # The five actions called most, "Action N" each.
  busiest=$(sed -n 's/.*"apiCallsByAction":{\([^}]*\)}.*/\1/p' <<<"$usage" | tr ',' '\n' |
    sed 's/"\([^"]*\)":\([0-9]*\)/\2 \1/' | sort -rn | head -5 | awk '{printf "%s%s %s", (NR>1?", ":""), $2, $1}' || true)
  # Ginkgo's summary of failed specs, without its colours.
  failures=$(sed 's/\x1b\[[0-9;]*m//g' "$runs/run.log" 2>/dev/null | sed -n 's/^  \[FAIL\] \(.*\)/- \1/p' || true)

  local launched isec ibilled lbs lbsec lbhours calls
  launched=$(field instancesLaunched "$usage")
  isec=$(field instanceSeconds "$usage")
  ibilled=$(field billedInstanceSeconds "$usage")
  lbs=$(field loadBalancersCreated "$usage")
  lbsec=$(field loadBalancerSeconds "$usage")
  lbhours=$(field billedLoadBalancerHours "$usage")
  calls=$(field apiCalls "$usage")
  local cost
  cost=$(awk -v i="$ibilled" -v h="$lbhours" -v pi="$price_instance_hour" -v pl="$price_lb_hour" \
    'BEGIN { ci = i / 3600 * pi; cl = h * pl; printf "$%.2f (instances $%.3f + load balancers $%.2f)", ci + cl, ci, cl }')

  {
    echo "# The suite at AWS's timings"
    echo
    echo "The whole suite against the reference emulator with AWS's delays (\`make bench-aws-timings\`)."
    echo
    echo "| | |"
    echo "|---|---|"
    echo "| Date | $(date -u '+%Y-%m-%d %H:%M UTC') |"
    echo "| Emulator | \`$timing_flags\`: instances 15 s pending to running; health checks unscaled (the fixtures' 5 s interval, 2 passes); draining as configured |"
    echo "| Patience | profile \`aws-timings\`, the \`aws\` profile's: \`$(patience)\` |"
    echo "| Ginkgo processes | $procs |"
    echo "| Label filter | ${LABELS:-none (whole suite)} |"
    echo "| Wall time | $((wall / 60))m $((wall % 60))s ($wall s) |"
    echo "| Specs | ${specs:-unknown (no conformance.md)} |"
    echo "| Instances launched | $launched |"
    echo "| Instance-seconds | $(printf '%.0f' "$isec") (billed, 60 s minimum each: $(printf '%.0f' "$ibilled")) |"
    echo "| Load balancers created | $lbs |"
    echo "| Load-balancer-seconds | $(printf '%.0f' "$lbsec") (billed, whole hours each: $lbhours h) |"
    echo "| API calls | $calls (most: $busiest) |"
    echo "| Retried calls | ${retried:-unknown} |"
    echo "| Cost on AWS, us-east-1 | $cost: t3.micro \$$price_instance_hour/h, Classic load balancer \$$price_lb_hour per hour or partial hour; EBS, public IPv4 and data not counted |"
    echo "| Suite exit status | $status |"
    if [ -n "$failures" ]; then
      echo
      echo "Failed specs:"
      echo
      echo "$failures"
    fi
  } >"$out/bench-aws-timings.md"
  cat "$out/bench-aws-timings.md"
  return "$status"
}

if [ "${1:-}" = "--measure" ]; then
  # The second half, which with-emulator.sh runs with AWS_ENDPOINT_URL set.
  measure "$2"
  exit
fi
[ -x "$root/bin/elbconform" ] || { echo "bench-aws-timings: no bin/elbconform: run make binary (make bench-aws-timings does)" >&2; exit 1; }
mkdir -p "${1:-reports}"
out="$(cd "${1:-reports}" && pwd)"
EMULATOR_FLAGS="$timing_flags" exec "$root/scripts/with-emulator.sh" "$0" --measure "$out"
