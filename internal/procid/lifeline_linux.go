//go:build linux

package procid

import (
	"os"
	"syscall"
)

// TieToParent asks the kernel to send this process sig when its parent
// exits, so that a process whose parent was killed outright (SIGKILL) does
// not live on unattended. It must be called early (from an init function):
// should the parent already be gone, the signal is sent at once.
func TieToParent(sig syscall.Signal) {
	ppid := os.Getppid()
	if _, _, errno := syscall.RawSyscall(syscall.SYS_PRCTL, syscall.PR_SET_PDEATHSIG, uintptr(sig), 0); errno != 0 {
		return
	}
	if os.Getppid() != ppid {
		_ = syscall.Kill(os.Getpid(), sig)
	}
}

// GroupAttr is the SysProcAttr of a child that runs in a process group of
// its own (so that only its parent decides which signals reach it, and
// KillGroup reaches all of it) and is killed with sig should its parent die.
func GroupAttr(sig syscall.Signal) *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true, Pdeathsig: sig}
}
