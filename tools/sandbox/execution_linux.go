package sandbox

import (
	"os"
	"os/exec"
	"sync"
	"syscall"
	"time"
)

// Internal kill reasons that do not appear in Result.Killed.
const (
	reasonCanceled = "canceled"
	reasonSetup    = "setup"
)

// execution is one running bwrap.
type execution struct {
	cmd            *exec.Cmd
	limits         Limits
	stdout, stderr *cappedBuffer
	started        time.Time

	mu     sync.Mutex
	killed string // first reason the sandbox was killed for
}

// sysProcAttr puts bwrap in its own process group (the unit the kill
// targets), kills it if this process dies, and, when running as root,
// starts it as unprivilegedID.
func sysProcAttr() *syscall.SysProcAttr {
	attr := &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	if os.Geteuid() == 0 {
		attr.Credential = &syscall.Credential{Uid: unprivilegedID, Gid: unprivilegedID, Groups: []uint32{}}
	}
	return attr
}

// kill records reason (the first one wins) and SIGKILLs bwrap's process
// group. bwrap's sandboxed child dies with it (--die-with-parent) and
// takes its pid namespace along.
func (ex *execution) kill(reason string) {
	ex.mu.Lock()
	if ex.killed == "" {
		ex.killed = reason
	}
	ex.mu.Unlock()
	_ = syscall.Kill(-ex.cmd.Process.Pid, syscall.SIGKILL)
}

func (ex *execution) reason() string {
	ex.mu.Lock()
	defer ex.mu.Unlock()
	return ex.killed
}

// classify names the limit that ended a command the sandbox did not kill
// itself. bwrap reports a command ended by signal s as 128+s. RLIMIT_CPU
// sends SIGXCPU at the soft limit and SIGKILL at the hard one; the CPU
// time bwrap reaped tells the latter from an unrelated SIGKILL. RLIMIT_AS
// has no signal: an allocation fails, and the runtime says so on stderr.
func (ex *execution) classify(code int) string {
	if code <= 0 {
		return ""
	}
	if code > 128 {
		sig := syscall.Signal(code - 128)
		st := ex.cmd.ProcessState
		budget := time.Duration(ex.limits.cpuSeconds()) * time.Second
		if sig == syscall.SIGXCPU || sig == syscall.SIGKILL && st.UserTime()+st.SystemTime() >= budget {
			return KilledCPU
		}
	}
	if ex.stderr.saysOutOfMemory() {
		return KilledMemory
	}
	return ""
}
