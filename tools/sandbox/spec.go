package sandbox

import (
	"fmt"
	"maps"
	"os"
	"path"
	"slices"
	"strings"
	"time"
)

// Mount is a host path made visible inside the sandbox.
type Mount struct {
	// Host is an absolute path on the host. It must exist.
	Host string
	// Sandbox is the absolute path inside the sandbox.
	Sandbox string
	// Writable makes the mount read-write; mounts are read-only otherwise.
	Writable bool
}

// ProcessSpec is one process-tool execution.
type ProcessSpec struct {
	// Command is the argv inside the sandbox. Command[0] is an absolute
	// path, e.g. /usr/bin/python3 or a binary under a mounted directory.
	Command []string
	// Stdin is written to the process's standard input (usually the
	// tool's JSON arguments).
	Stdin []byte
	// Env is the whole environment, plus PATH=/usr/bin:/bin unless Env
	// sets PATH, and PWD (the working directory, set by bubblewrap).
	// Nothing is inherited from the host.
	Env map[string]string
	// Mounts are the only host paths the sandbox sees besides /usr and
	// /bin, /sbin, /lib* (all read-only).
	Mounts []Mount
	// Hosts is the network allow-list, "host:port" each. Empty means no
	// network at all. See the package documentation for what a
	// non-empty list provides.
	Hosts []string
	// Limits bound the execution.
	Limits Limits
	// WorkDir is the working directory inside the sandbox; /work (a
	// fresh private tmpfs) by default.
	WorkDir string
}

// Result is the outcome of one execution.
type Result struct {
	// ExitCode is the command's exit status. A command ended by a signal
	// reports 128+signal; one the sandbox killed reports -1.
	ExitCode int
	// Stdout and Stderr hold at most Limits.OutputBytes each.
	Stdout, Stderr []byte
	// Truncated is true when either stream went past Limits.OutputBytes.
	Truncated bool
	// Duration is the wall time from start to exit.
	Duration time.Duration
	// Killed says why the execution was stopped: "" (it was not),
	// "timeout", "memory", "cpu" or "output".
	Killed string
}

// defaultWorkDir is the private tmpfs used as working directory.
const defaultWorkDir = "/work"

// reservedDirs are sandbox paths a Mount may not cover or sit under: the
// system directories bound from the host and the kernel filesystems the
// sandbox builds itself.
var reservedDirs = []string{"/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/proc", "/dev", "/etc/alternatives"}

// reservedFiles are sandbox paths the sandbox writes itself. Other paths
// under /etc (certificates, say) may be mounted.
var reservedFiles = []string{"/etc", etcHosts, etcNsswitch}

// validateCommand checks the argv and the environment.
func validateCommand(argv []string, env map[string]string) error {
	if len(argv) == 0 {
		return fmt.Errorf("%w: empty command", ErrSpec)
	}
	if !path.IsAbs(argv[0]) || path.Clean(argv[0]) != argv[0] {
		return fmt.Errorf("%w: command %q is not a clean absolute path", ErrSpec, argv[0])
	}
	for _, a := range argv {
		if strings.ContainsRune(a, 0) {
			return fmt.Errorf("%w: NUL byte in argument %q", ErrSpec, a)
		}
	}
	return validateEnv(env)
}

func validateEnv(env map[string]string) error {
	for k, v := range env {
		if k == "" || strings.ContainsAny(k, "=\x00") || strings.ContainsRune(v, 0) {
			return fmt.Errorf("%w: bad environment variable %q", ErrSpec, k)
		}
	}
	return nil
}

// validateMounts checks that every host path exists and every sandbox
// path is absolute, distinct and clear of reservedDirs.
func validateMounts(mounts []Mount) error {
	seen := make(map[string]bool, len(mounts))
	for _, m := range mounts {
		if !path.IsAbs(m.Host) {
			return fmt.Errorf("%w: mount host path %q is not absolute", ErrSpec, m.Host)
		}
		if _, err := os.Stat(m.Host); err != nil {
			return fmt.Errorf("%w: mount host path: %w", ErrSpec, err)
		}
		if err := validateSandboxPath(m.Sandbox); err != nil {
			return err
		}
		if seen[m.Sandbox] {
			return fmt.Errorf("%w: two mounts on %q", ErrSpec, m.Sandbox)
		}
		seen[m.Sandbox] = true
	}
	return nil
}

func validateSandboxPath(p string) error {
	if !path.IsAbs(p) || path.Clean(p) != p || p == "/" {
		return fmt.Errorf("%w: sandbox path %q must be a clean absolute path below /", ErrSpec, p)
	}
	for _, r := range reservedDirs {
		if p == r || strings.HasPrefix(p, r+"/") {
			return fmt.Errorf("%w: sandbox path %q is reserved (%s)", ErrSpec, p, r)
		}
	}
	if slices.Contains(reservedFiles, p) {
		return fmt.Errorf("%w: sandbox path %q is written by the sandbox itself", ErrSpec, p)
	}
	return nil
}

// validateWorkDir returns the working directory to use.
func validateWorkDir(dir string) (string, error) {
	if dir == "" {
		return defaultWorkDir, nil
	}
	if !path.IsAbs(dir) || path.Clean(dir) != dir {
		return "", fmt.Errorf("%w: work dir %q is not a clean absolute path", ErrSpec, dir)
	}
	return dir, nil
}

// sandboxPath is the PATH a process gets unless its Env sets one.
const sandboxPath = "/usr/bin:/bin"

// processPlan is a validated ProcessSpec with defaults applied.
type processPlan struct {
	argv    []string
	env     map[string]string
	stdin   []byte
	mounts  []Mount // sorted by sandbox path, so parents mount first
	hosts   hostPlan
	limits  Limits
	workDir string
}

// prepare validates spec and fills in the defaults.
func prepare(spec ProcessSpec) (*processPlan, error) {
	if err := validateCommand(spec.Command, spec.Env); err != nil {
		return nil, err
	}
	if err := validateMounts(spec.Mounts); err != nil {
		return nil, err
	}
	lim, err := spec.Limits.withDefaults()
	if err != nil {
		return nil, err
	}
	work, err := validateWorkDir(spec.WorkDir)
	if err != nil {
		return nil, err
	}
	hosts, err := planHosts(spec.Hosts)
	if err != nil {
		return nil, err
	}
	env := maps.Clone(spec.Env)
	if env == nil {
		env = map[string]string{}
	}
	if _, ok := env["PATH"]; !ok {
		env["PATH"] = sandboxPath
	}
	mounts := slices.Clone(spec.Mounts)
	slices.SortFunc(mounts, func(a, b Mount) int { return strings.Compare(a.Sandbox, b.Sandbox) })
	return &processPlan{
		argv:    slices.Clone(spec.Command),
		env:     env,
		stdin:   spec.Stdin,
		mounts:  mounts,
		hosts:   hosts,
		limits:  lim,
		workDir: work,
	}, nil
}
