// Command dockercheck tells a Makefile whether the container target can run:
// it prints "ok: a Docker Engine answers" when one does, and
// "skip: <reason>" when none does. It exits 0 either way (non-zero only when
// it cannot run at all), so that `make test` can skip the container target
// visibly instead of failing.
//
//	go run ./harness/target/dockercheck
package main

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/elbconform/elbconform/harness/target/container"
)

func main() {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := container.DockerAvailable(ctx); err != nil {
		fmt.Printf("skip: %v\n", err)
		return
	}
	host := os.Getenv("DOCKER_HOST")
	if host == "" {
		host = "the default socket"
	}
	fmt.Printf("ok: a Docker Engine answers (%s)\n", host)
}
