#!/usr/bin/env bash
# make image-test: the images of `make image` as a user runs them, with the
# real Docker Engine. The emulator image is started on a Docker network of its
# own; the suite image runs against it by name (sharing its network stack, see
# below) with a host folder mounted at /reports; the host then checks what the
# container wrote: the reports, a CONFORMANT verdict for the emulator
# container's endpoint, and exit status 0.
#
#   scripts/image-test.sh [REPORT-FOLDER]     (default reports/image)
#
# Without a Docker Engine it says so and exits 0 (as make container does).
# Containers and network carry a name unique to the run and are removed
# however it ends. Needs jq, to read conformance.json.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
out="${1:-reports/image}"

check="$(go run ./harness/target/dockercheck)"
case "$check" in
  skip:*) echo "make image-test: SKIPPED the suite image against the emulator image -${check#skip:}"; exit 0;;
esac
echo "make image-test: $check"
command -v jq >/dev/null || { echo "make image-test: needs jq to read the reports (apt-get install jq)" >&2; exit 1; }

t0=$SECONDS
deploy/images/build.sh
built=$((SECONDS - t0))
# shellcheck source=deploy/images/names.env
. deploy/images/names.env

run="elbconform-image-test-$(date +%s)-$$-$RANDOM"
net="$run" emulator="$run-emulator" suite="$run-suite"
port=4580 # the emulator image's -addr (deploy/images/elb-emulator/Dockerfile)
endpoint="http://$emulator:$port"

# The container writes as the image's user (nobody), as it would in a cluster;
# as root here, the folder is lent to nobody for the run and taken back after.
mkdir -p "$out"
out="$(cd "$out" && pwd)" # a bind mount needs an absolute path
rm -f "$out"/junit.xml "$out"/report.json "$out"/run.log "$out"/conformance.* # no stale pass
user="$(id -u):$(id -g)"
if [ "$(id -u)" = 0 ]; then
  user=65534:65534
  chown "$user" "$out"
fi

cleanup() {
  docker rm -f "$suite" "$emulator" >/dev/null 2>&1 || true
  docker network rm "$net" >/dev/null 2>&1 || true
  if [ "$(id -u)" = 0 ]; then chown -R 0:0 "$out"; fi
}
trap cleanup EXIT
trap 'echo "make image-test: interrupted; removing its containers and network" >&2; exit 130' INT
trap 'echo "make image-test: terminated; removing its containers and network" >&2; exit 143' TERM

docker network create --label "elbconform.image-test=$run" "$net" >/dev/null
docker run -d --name "$emulator" --network "$net" --label "elbconform.image-test=$run" \
  "$EMULATOR_IMAGE" -instance-start-delay 100ms -health-check-scale 0.02 >/dev/null
# Ready when it says so (scratch has no curl to probe it with).
listening() { [[ "$(docker logs "$emulator" 2>&1)" == *'elb-emulator listening on'* ]]; }
for _ in $(seq 100); do
  listening && break
  [ "$(docker inspect -f '{{.State.Running}}' "$emulator")" = true ] || break
  sleep 0.1
done
listening || {
  echo "make image-test: the emulator container did not start listening:"; docker logs "$emulator" 2>&1 | tail -20; exit 1
}
echo "make image-test: $EMULATOR_IMAGE is up as $emulator on network $net; running $SUITE_IMAGE against $endpoint"

# The suite container shares the emulator container's network stack (as the
# containers of one Kubernetes pod do): on an endpoint target the suite serves
# the instances' web servers on its loopback (fixtures/backends.go), and the
# emulator's health checks must reach them there; with a network stack of its
# own the instances never go InService. The endpoint is still the emulator's
# name on the Docker network, resolved by the network's DNS.
# In the background, so that an interrupt reaches the traps at once and the
# cleanup stops the suite container.
t1=$SECONDS
docker run --name "$suite" --network "container:$emulator" --label "elbconform.image-test=$run" \
  --user "$user" -v "$out:/reports" \
  -e AWS_ACCESS_KEY_ID=test -e AWS_SECRET_ACCESS_KEY=test -e AWS_REGION=us-east-1 \
  -e CONFORMANCE_EVENTUALLY_POLLING=100ms -e CONFORMANCE_QUOTA_BUDGET=30 \
  "$SUITE_IMAGE" run --endpoint "$endpoint" --report-dir /reports &
status=0
wait $! || status=$?
ran=$((SECONDS - t1))

fail() { echo "make image-test: FAILED: $*" >&2; exit 1; }
for f in conformance.json conformance.yaml junit.xml; do
  [ -s "$out/$f" ] || fail "the suite container wrote no $f into the mounted folder $out"
done
verdict="$(jq -r .verdict "$out/conformance.json")"
tested="$(jq -r '.target.target + " " + .target.endpoint' "$out/conformance.json")"
counts="$(jq -r '.totals.overall | "\(.passed) passed, \(.skipped) skipped, \(.failed) failed"' "$out/conformance.json")"
[ "$status" = 0 ] || fail "the suite container exited $status (verdict $verdict: $counts; reports in $out)"
[ "$verdict" = CONFORMANT ] || fail "verdict $verdict ($counts), want CONFORMANT (reports in $out)"
# The report names the target it tested: the emulator container, not the
# emulator the suite embeds (which a lost --endpoint would silently test).
[ "$tested" = "endpoint $endpoint" ] || fail "the reports name target \"$tested\", want \"endpoint $endpoint\""
echo "make image-test: OK: $SUITE_IMAGE against $EMULATOR_IMAGE on a Docker network: $verdict ($counts), exit status 0, reports in $out (images built in ${built} s, suite container ran ${ran} s)"
