#!/usr/bin/env bash
# make image: build the suite image and the emulator image (names in
# deploy/images/names.env) FROM scratch with the docker CLI, from static
# binaries compiled here for the Docker Engine's architecture. Nothing is
# pulled: scratch is no image, so no registry is needed.
#
#   deploy/images/build.sh
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
images="$root/deploy/images"
# shellcheck source=deploy/images/names.env
. "$images/names.env"

arch="$(docker version --format '{{.Server.Arch}}')" || {
  echo "make image: no Docker Engine answers (docker version failed); start Docker or set DOCKER_HOST" >&2
  exit 1
}
os="$(docker version --format '{{.Server.Os}}')"
[ "$os" = linux ] || { echo "make image: the Docker Engine runs $os containers; the images are Linux images" >&2; exit 1; }

ctx="$(mktemp -d "${TMPDIR:-/tmp}/elbconform-image-XXXXXX")"
trap 'rm -rf "$ctx"' EXIT

# Both binaries in one go build (its work folder inside ctx, so that a build
# cut short leaves nothing behind). -s -w drops the symbol tables: a third
# smaller image, and panics still print file and line. -buildvcs=auto (over
# a GOFLAGS=-buildvcs=false) stamps the commit, the suite's version in the
# reports, since an image has no git to ask.
mkdir -p "$ctx/bin" "$ctx/gotmp"
t0=$SECONDS
(cd "$root" && CGO_ENABLED=0 GOOS=linux GOARCH="$arch" GOTMPDIR="$ctx/gotmp" \
  go build -buildvcs=auto -ldflags='-s -w' -o "$ctx/bin/" ./cmd/elbconform ./cmd/elb-emulator)
echo "make image: compiled elbconform and elb-emulator for linux/$arch in $((SECONDS - t0)) s"

# The suite's context: the layout its Dockerfile describes.
suite="$ctx/elbconform"
mkdir -p "$suite/rootfs/tmp" "$suite/rootfs/reports"
chmod 1777 "$suite/rootfs/tmp" "$suite/rootfs/reports"
cp "$images/elbconform/Dockerfile" "$ctx/bin/elbconform" "$suite/"
ca=/etc/ssl/certs/ca-certificates.crt
if [ -f "$ca" ]; then
  mkdir -p "$suite/rootfs/etc/ssl/certs"
  cp "$ca" "$suite/rootfs/etc/ssl/certs/"
else
  echo "make image: no $ca on this machine: $SUITE_IMAGE cannot verify HTTPS endpoints (real AWS)" >&2
fi

emulator="$ctx/elb-emulator"
mkdir -p "$emulator"
cp "$images/elb-emulator/Dockerfile" "$ctx/bin/elb-emulator" "$emulator/"

# -q prints the image ID, or the build's output when it fails; the legacy
# builder's deprecation notice (on an engine without buildx) is noise here.
# The image a rebuild replaces is removed, so that builds leave no untagged
# images behind (unless a container still uses it).
build() { # TAG CONTEXT
  local t=$SECONDS id old
  old="$(docker image inspect -f '{{.Id}}' "$1" 2>/dev/null || true)"
  id="$(docker build -q -t "$1" "$2" 2> >(grep -v -e 'legacy builder is deprecated' -e 'Install the buildx' -e 'docs.docker.com/go/buildx' -e '^ *$' >&2))"
  echo "make image: built $1 (${id:7:12}) in $((SECONDS - t)) s, $(docker image inspect -f '{{.Size}}' "$1" | awk '{printf "%.0f MB", $1/1e6}')"
  if [ -n "$old" ] && [ "$old" != "$id" ]; then docker image rm "$old" >/dev/null 2>&1 || true; fi
}
build "$SUITE_IMAGE" "$suite"
build "$EMULATOR_IMAGE" "$emulator"

# The suite image starts and knows its version: a broken entrypoint or a
# binary for the wrong platform fails here, not in the first real run.
echo "make image: $SUITE_IMAGE is $(docker run --rm "$SUITE_IMAGE" version)"
