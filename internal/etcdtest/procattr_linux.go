package etcdtest

import "syscall"

// procAttr puts a member in its own process group and has the kernel
// kill it if the test binary dies.
func procAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
}
