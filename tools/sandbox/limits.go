package sandbox

import (
	"errors"
	"fmt"
	"time"
)

// Defaults applied to zero fields of Limits.
const (
	DefaultTimeout     = 10 * time.Second
	DefaultMemoryBytes = 256 << 20
	DefaultProcesses   = 16
	DefaultOutputBytes = 1 << 20
	DefaultFileSize    = 16 << 20
)

// Sentinel errors. Match them with errors.Is.
var (
	// ErrTimeout: the execution ran past Limits.Timeout and was killed.
	// The Result returned with it holds what was captured until then.
	ErrTimeout = errors.New("sandbox: timeout")
	// ErrUnavailable: the sandbox cannot run on this machine (bubblewrap
	// or prlimit missing, user namespaces refused, not Linux).
	ErrUnavailable = errors.New("sandbox: unavailable")
	// ErrSpec: the spec is invalid; nothing was run.
	ErrSpec = errors.New("sandbox: invalid spec")
)

// Reasons in Result.Killed.
const (
	KilledTimeout = "timeout"
	KilledMemory  = "memory"
	KilledCPU     = "cpu"
	KilledOutput  = "output"
)

// Limits bound one execution. Zero fields take the defaults above; a
// negative field is an ErrSpec.
type Limits struct {
	// Timeout is the wall clock budget. At the limit the whole sandbox
	// is killed and the call returns ErrTimeout. Default 10s.
	Timeout time.Duration
	// CPUTime is RLIMIT_CPU for each sandboxed process, rounded up to
	// whole seconds (wasm: not applicable). Default: Timeout.
	CPUTime time.Duration
	// MemoryBytes is RLIMIT_AS for each sandboxed process, or the cap on
	// a wasm module's linear memory. Default 256 MiB.
	MemoryBytes int64
	// Processes is RLIMIT_NPROC inside the sandbox's user namespace: the
	// number of processes and threads the sandbox may hold at once,
	// bubblewrap's reaper (pid 1) included. Default 16.
	Processes int
	// OutputBytes caps stdout and stderr each. The first byte beyond it
	// kills the execution (Killed "output", Truncated true). Default 1 MiB.
	OutputBytes int64
	// FileSize is RLIMIT_FSIZE (largest file a process may write) and the
	// size of each private tmpfs (/tmp and /work). Default 16 MiB.
	FileSize int64
}

// withDefaults returns l with zero fields filled in, or an ErrSpec for
// negative fields.
func (l Limits) withDefaults() (Limits, error) {
	if l.Timeout < 0 || l.CPUTime < 0 || l.MemoryBytes < 0 || l.Processes < 0 || l.OutputBytes < 0 || l.FileSize < 0 {
		return l, fmt.Errorf("%w: negative limit in %+v", ErrSpec, l)
	}
	if l.Timeout == 0 {
		l.Timeout = DefaultTimeout
	}
	if l.CPUTime == 0 {
		l.CPUTime = l.Timeout
	}
	if l.MemoryBytes == 0 {
		l.MemoryBytes = DefaultMemoryBytes
	}
	if l.Processes == 0 {
		l.Processes = DefaultProcesses
	}
	if l.OutputBytes == 0 {
		l.OutputBytes = DefaultOutputBytes
	}
	if l.FileSize == 0 {
		l.FileSize = DefaultFileSize
	}
	return l, nil
}

// cpuSeconds is CPUTime rounded up to whole seconds, at least one.
func (l Limits) cpuSeconds() int64 {
	s := int64((l.CPUTime + time.Second - 1) / time.Second)
	return max(s, 1)
}

// prlimitArgs are the prlimit(1) options that apply l. RLIMIT_CPU gets a
// hard limit one second above the soft one, so a process over budget is
// first sent SIGXCPU (which names the cause) and only then SIGKILL. Core
// dumps are off so no core_pattern helper runs on the host.
func (l Limits) prlimitArgs() []string {
	cpu := l.cpuSeconds()
	return []string{
		fmt.Sprintf("--as=%d", l.MemoryBytes),
		fmt.Sprintf("--cpu=%d:%d", cpu, cpu+1),
		fmt.Sprintf("--nproc=%d", l.Processes),
		fmt.Sprintf("--fsize=%d", l.FileSize),
		"--core=0",
	}
}
