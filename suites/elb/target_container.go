//go:build container

package elb

// The container target (the reference emulator in a Docker container) is
// compiled into the suite only with -tags container, which
// `make conformance TARGET=container` passes: it alone needs the Docker
// client, whose modules the default embedded run should neither download nor
// compile. Without the tag, choosing it stops the run before any spec with a
// message saying how to get it (harness/target).
import _ "github.com/elbconform/elbconform/harness/target/container"
