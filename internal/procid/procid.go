// Package procid names a process so that another process can later tell,
// safely, whether it is gone: its PID, when it started (so a reused PID is not
// mistaken for it), the host, boot and PID namespace it ran in. The container
// target labels its containers with the owner's identity and the runner
// writes it beside its temporary files, so that leftovers of a run that was
// killed outright can be removed by the next run, and nothing else is.
package procid

import (
	"errors"
	"os"
	"strconv"
	"strings"
	"syscall"
)

// Owner identifies a process. The zero value of a field means unknown (Start,
// Boot and PIDNS are empty where /proc is not available).
type Owner struct {
	PID   int    `json:"pid"`
	Start string `json:"start,omitempty"` // start time in clock ticks since boot (/proc/PID/stat field 22)
	Host  string `json:"host"`
	Boot  string `json:"boot,omitempty"`  // /proc/sys/kernel/random/boot_id
	PIDNS string `json:"pidns,omitempty"` // /proc/self/ns/pid, e.g. pid:[4026531836]
}

// Self is this process's identity.
func Self() Owner { return Of(os.Getpid()) }

// Of is the identity of a live process of this host, as far as it can be read.
func Of(pid int) Owner {
	host, _ := os.Hostname()
	return Owner{PID: pid, Start: startTime(pid), Host: host, Boot: bootID(), PIDNS: pidNS()}
}

// Verdict says what can be concluded about an owner from here.
type Verdict int

const (
	// Alive: the owner runs (or it cannot be ruled out): leave its things alone.
	Alive Verdict = iota
	// Gone: the owner ran here and has certainly ended.
	Gone
	// Foreign: the owner ran on another host or in another PID namespace;
	// nothing here can tell whether it is gone.
	Foreign
)

func (v Verdict) String() string {
	switch v {
	case Gone:
		return "gone"
	case Foreign:
		return "foreign"
	}
	return "alive"
}

// Check decides whether o is gone, with a reason in words. Only an owner of
// this host and PID namespace can be judged; anything it cannot be sure of
// counts as alive.
func Check(o Owner) (Verdict, string) {
	self := Self()
	switch {
	case o.PID <= 0 || o.Host == "":
		return Foreign, "the owner is not named"
	case o.Host != self.Host:
		return Foreign, "the owner ran on host " + o.Host
	case o.Boot != "" && self.Boot != "" && o.Boot != self.Boot:
		// Same host, another boot: every process of that boot has ended.
		return Gone, "the host has rebooted since"
	case o.PIDNS != "" && self.PIDNS != "" && o.PIDNS != self.PIDNS:
		return Foreign, "the owner ran in another PID namespace (" + o.PIDNS + ")"
	}
	if !exists(o.PID) {
		return Gone, "PID " + strconv.Itoa(o.PID) + " has exited"
	}
	if o.Start != "" {
		if now := startTime(o.PID); now != "" && now != o.Start {
			return Gone, "PID " + strconv.Itoa(o.PID) + " has exited (the PID now belongs to a newer process)"
		}
	}
	return Alive, "PID " + strconv.Itoa(o.PID) + " is running"
}

// exists reports whether a process with this PID runs. A zombie does not:
// it has exited and waits to be reaped (by init, which may take its time or,
// in a container without an init, never come).
func exists(pid int) bool {
	err := syscall.Kill(pid, 0)
	if err != nil && !errors.Is(err, syscall.EPERM) {
		return false
	}
	if f := statFields(pid); len(f) > 0 && (f[0] == "Z" || f[0] == "X") {
		return false
	}
	return true
}

// statFields are the fields of /proc/PID/stat after the command name
// (fields[0] is field 3, the state), or nil.
func statFields(pid int) []string {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return nil
	}
	// The command name (field 2) is in parentheses and may hold spaces.
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return nil
	}
	return strings.Fields(s[i+1:])
}

func startTime(pid int) string {
	// The start time is field 22.
	if f := statFields(pid); len(f) >= 20 {
		return f[19]
	}
	return ""
}

func bootID() string {
	b, err := os.ReadFile("/proc/sys/kernel/random/boot_id")
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(b))
}

func pidNS() string {
	s, err := os.Readlink("/proc/self/ns/pid")
	if err != nil {
		return ""
	}
	return s
}

// KillGroup sends sig to the process group pgid (a child started with
// GroupAttr has its PID as group ID). It reports whether any process of the
// group was there to receive it.
func KillGroup(pgid int, sig syscall.Signal) bool {
	if pgid <= 1 {
		return false
	}
	err := syscall.Kill(-pgid, sig)
	return err == nil || errors.Is(err, syscall.EPERM)
}

// GroupAlive reports whether any process of group pgid is left (zombies
// count until they are reaped).
func GroupAlive(pgid int) bool { return KillGroup(pgid, 0) }
