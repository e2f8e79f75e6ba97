package sandbox

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"time"
)

// Process runs spec in a fresh bubblewrap sandbox and returns what it
// did. The sandbox has its own user, pid, ipc, uts, cgroup, mount and
// network namespaces, sees only /usr, /bin, /sbin, /lib* (read-only) and
// spec.Mounts, gets a private /proc, a minimal /dev and private tmpfs
// /tmp and /work, and cannot create further user namespaces. It is gone
// when Process returns: nothing persists between calls.
//
// Limits are applied with rlimits inside the sandbox (prlimit(1) between
// bwrap and the command) and a wall-clock kill of bwrap's process group;
// killing bwrap takes the sandbox's pid namespace, and so every process
// in it, down with it. A non-zero exit is not an error: it is in
// Result.ExitCode. Errors are ErrSpec (nothing ran), ErrUnavailable,
// ErrTimeout (with the partial Result), the ctx's error, or a bwrap setup
// failure.
func Process(ctx context.Context, spec ProcessSpec) (Result, error) {
	p, err := prepare(spec)
	if err != nil {
		return Result{}, err
	}
	if err := ctx.Err(); err != nil {
		return Result{}, fmt.Errorf("sandbox: %w", err)
	}
	if err := Available(); err != nil {
		return Result{}, err
	}
	if len(p.hosts.forwards) > 0 && os.Geteuid() != 0 {
		return Result{}, fmt.Errorf("%w: a network allow-list needs root to place forwarders in the sandbox's network namespace", ErrUnavailable)
	}
	return run(ctx, p)
}

// run starts bwrap for p, sets up the forwarders when p has an
// allow-list, and waits for the end.
func run(ctx context.Context, p *processPlan) (Result, error) {
	var nfd *netFDs
	if len(p.hosts.forwards) > 0 {
		var err error
		if nfd, err = newNetFDs(); err != nil {
			return Result{}, err
		}
		defer nfd.close()
	}
	inv, err := buildInvocation(p, nfd)
	if err != nil {
		return Result{}, err
	}
	ex := newExecution(p, inv)
	err = ex.start()
	inv.closeFiles()
	if err != nil {
		return Result{}, err
	}
	if nfd != nil {
		fw, err := connect(ctx, ex, nfd, p.hosts.forwards)
		if err != nil {
			ex.kill(reasonSetup)
			res, _ := ex.wait(ctx)
			if msg, ok := bwrapMessage(res.Stderr); ok {
				err = fmt.Errorf("%w (%s)", err, msg)
			}
			return Result{}, err
		}
		defer fw.close()
	}
	return ex.wait(ctx)
}

// connect places the forwarders in the sandbox's network namespace and
// then lets the command start.
func connect(ctx context.Context, ex *execution, nfd *netFDs, fwd []forward) (*forwarders, error) {
	pid, err := nfd.childPid(ex.deadline())
	if err != nil {
		return nil, err
	}
	ls, err := listenInNetns(pid, fwd)
	if err != nil {
		return nil, err
	}
	fw := serveForwarders(ctx, ls, fwd)
	if err := nfd.release(); err != nil {
		fw.close()
		return nil, err
	}
	return fw, nil
}

// newExecution prepares the bwrap command. Its environment is empty;
// the sandbox's comes from --setenv. Output beyond the limit kills it.
func newExecution(p *processPlan, inv *invocation) *execution {
	ex := &execution{limits: p.limits}
	cmd := exec.Command(bwrapPath, inv.args...)
	cmd.Env = []string{}
	cmd.Dir = "/"
	cmd.Stdin = bytes.NewReader(p.stdin)
	ex.stdout = newCappedBuffer(p.limits.OutputBytes, func() { ex.kill(KilledOutput) })
	ex.stderr = newCappedBuffer(p.limits.OutputBytes, func() { ex.kill(KilledOutput) })
	cmd.Stdout, cmd.Stderr = ex.stdout, ex.stderr
	cmd.ExtraFiles = inv.files
	cmd.SysProcAttr = sysProcAttr()
	cmd.WaitDelay = waitDelay
	ex.cmd = cmd
	return ex
}

// waitDelay bounds how long Wait waits for the output pipes once bwrap
// has exited. The pid namespace dies with bwrap, so nothing should hold
// them; this is a backstop.
const waitDelay = 2 * time.Second

func (ex *execution) start() error {
	ex.started = time.Now()
	if err := ex.cmd.Start(); err != nil {
		return fmt.Errorf("sandbox: start bwrap: %w", err)
	}
	return nil
}

func (ex *execution) deadline() time.Time { return ex.started.Add(ex.limits.Timeout) }

// wait waits for bwrap, killing it at the deadline or when ctx ends.
func (ex *execution) wait(ctx context.Context) (Result, error) {
	done := make(chan error, 1)
	go func() { done <- ex.cmd.Wait() }()
	timer := time.NewTimer(time.Until(ex.deadline()))
	defer timer.Stop()
	var werr error
	select {
	case werr = <-done:
	case <-timer.C:
		ex.kill(KilledTimeout)
		werr = <-done
	case <-ctx.Done():
		ex.kill(reasonCanceled)
		werr = <-done
	}
	return ex.result(ctx, werr)
}

// result turns the finished execution into a Result and an error.
func (ex *execution) result(ctx context.Context, werr error) (Result, error) {
	res := Result{Duration: time.Since(ex.started), ExitCode: -1}
	var t1, t2 bool
	res.Stdout, t1 = ex.stdout.result()
	res.Stderr, t2 = ex.stderr.result()
	res.Truncated = t1 || t2
	switch reason := ex.reason(); reason {
	case KilledTimeout:
		res.Killed = reason
		return res, fmt.Errorf("%w after %s", ErrTimeout, ex.limits.Timeout)
	case KilledOutput:
		res.Killed = reason
		return res, nil
	case reasonCanceled:
		return res, fmt.Errorf("sandbox: killed: %w", context.Cause(ctx))
	case reasonSetup:
		return res, errors.New("sandbox: killed after a failed setup")
	}
	var exitErr *exec.ExitError
	if werr != nil && !errors.As(werr, &exitErr) {
		return res, fmt.Errorf("sandbox: wait for bwrap: %w", werr)
	}
	res.ExitCode = ex.cmd.ProcessState.ExitCode()
	if msg, ok := setupFailure(res); ok {
		return res, fmt.Errorf("sandbox: bwrap setup failed: %s", msg)
	}
	res.Killed = ex.classify(res.ExitCode)
	return res, nil
}

// setupFailure recognises bwrap's own error exit (status 1 and a
// "bwrap: " message) as opposed to the command's.
func setupFailure(res Result) (string, bool) {
	if res.ExitCode != 1 {
		return "", false
	}
	return bwrapMessage(res.Stderr)
}

// bwrapMessage returns the first line of stderr if bwrap wrote it.
func bwrapMessage(stderr []byte) (string, bool) {
	if !bytes.HasPrefix(stderr, []byte("bwrap: ")) {
		return "", false
	}
	msg, _, _ := bytes.Cut(stderr, []byte("\n"))
	return string(msg), true
}
