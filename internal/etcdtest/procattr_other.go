//go:build unix && !linux

package etcdtest

import "syscall"

// procAttr puts a member in its own process group.
func procAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true}
}
