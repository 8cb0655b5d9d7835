package run

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/elbconform/elbconform/internal/procid"
)

// runDirPrefix names the temporary folders of runs, in os.TempDir().
const runDirPrefix = "elbconform-run-"

// ownerFile, in a run's temporary folder, says which process owns it and
// which files outside it the run may leave behind if it is killed outright.
const ownerFile = "owner.json"

type runOwner struct {
	Owner   procid.Owner `json:"owner"`
	RunID   string       `json:"runID"`
	Started time.Time    `json:"started"`
	// Files outside the folder the run creates and removes (the compiled
	// suite); removed with the folder when the run is gone.
	Files []string `json:"files,omitempty"`
}

// newRunDir creates the temporary folder of a run (TMPDIR and GOTMPDIR of
// everything the run starts point into its tmp/ subfolder).
func newRunDir(parent, runID string, started time.Time, files []string) (string, error) {
	dir, err := os.MkdirTemp(parent, runDirPrefix+runID+"-")
	if err != nil {
		return "", fmt.Errorf("temporary folder: %w", err)
	}
	if err := os.Mkdir(filepath.Join(dir, "tmp"), 0o700); err != nil {
		os.RemoveAll(dir)
		return "", fmt.Errorf("temporary folder: %w", err)
	}
	b, _ := json.MarshalIndent(runOwner{Owner: procid.Self(), RunID: runID, Started: started, Files: files}, "", "  ")
	if err := os.WriteFile(filepath.Join(dir, ownerFile), b, 0o644); err != nil {
		os.RemoveAll(dir)
		return "", fmt.Errorf("temporary folder: %w", err)
	}
	return dir, nil
}

func readOwner(dir string) (runOwner, bool) {
	var o runOwner
	b, err := os.ReadFile(filepath.Join(dir, ownerFile))
	if err != nil || json.Unmarshal(b, &o) != nil || o.Owner.PID <= 0 {
		return o, false
	}
	return o, true
}

// SweepRunDirs removes, in parent, the temporary folders of runs whose
// runner is gone (killed outright), with the compiled suites they list, and
// returns a sentence per folder removed. Folders without an owner file, of a
// live runner, or of another host are left alone.
func SweepRunDirs(parent string) []string {
	matches, _ := filepath.Glob(filepath.Join(parent, runDirPrefix+"*"))
	var msgs []string
	for _, dir := range matches {
		o, ok := readOwner(dir)
		if !ok {
			continue
		}
		if v, _ := procid.Check(o.Owner); v != procid.Gone {
			continue
		}
		for _, f := range o.Files {
			st, err := os.Stat(f)
			if err == nil && !st.ModTime().Before(o.Started.Add(-time.Second)) && !claimedByLiveRun(parent, f, dir) {
				_ = os.Remove(f)
			}
		}
		if err := os.RemoveAll(dir); err == nil {
			msgs = append(msgs, fmt.Sprintf("removed %s, left by run %s (runner PID %d), which was killed", dir, o.RunID, o.Owner.PID))
		}
	}
	return msgs
}

// claimedByLiveRun reports whether a run other than the one of folder self,
// still running, may be using file f.
func claimedByLiveRun(parent, f, self string) bool {
	matches, _ := filepath.Glob(filepath.Join(parent, runDirPrefix+"*"))
	for _, dir := range matches {
		if dir == self {
			continue
		}
		o, ok := readOwner(dir)
		if !ok {
			continue
		}
		if v, _ := procid.Check(o.Owner); v == procid.Gone {
			continue
		}
		for _, g := range o.Files {
			if g == f {
				return true
			}
		}
	}
	return false
}

func newRunID() string {
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return strings.ToLower(hex.EncodeToString(b))
}
