package reports

import (
	"context"
	"os/exec"
	"runtime/debug"
	"strings"
	"time"
)

// SuiteVersion names the version of the suite that produced a report, so a
// certificate says which set of checks it passed. The module version stamped
// into the binary is preferred; a binary built from a work tree has none (or
// "(devel)"), so `git describe` is tried next.
func SuiteVersion() string {
	if bi, ok := debug.ReadBuildInfo(); ok {
		if v := bi.Main.Version; v != "" && v != "(devel)" {
			return v
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, "git", "describe", "--always", "--dirty").Output()
	if v := strings.TrimSpace(string(out)); err == nil && v != "" {
		return v
	}
	return "unknown"
}
