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
		// A binary built from a checkout carries its commit (go build's VCS
		// stamp), which outlives the checkout: cmd/elbconform run elsewhere.
		if v := vcsRevision(bi); v != "" {
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

func vcsRevision(bi *debug.BuildInfo) string {
	var rev, modified string
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			modified = s.Value
		}
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	if rev != "" && modified == "true" {
		rev += "-dirty"
	}
	return rev
}
