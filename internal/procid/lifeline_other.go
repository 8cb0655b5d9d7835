//go:build !linux

package procid

import "syscall"

// TieToParent is a no-op where the kernel cannot signal a process when its
// parent dies.
func TieToParent(syscall.Signal) {}

// GroupAttr is the SysProcAttr of a child that runs in a process group of
// its own (the parent-death signal is Linux's alone).
func GroupAttr(syscall.Signal) *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true}
}
