package sandbox

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestLimitForkBombCountedAgainstProcesses(t *testing.T) {
	t.Parallel()
	requireSandbox(t)
	// Each started sleeper prints its number; fork fails at the limit and
	// dash gives up. Its reaper (pid 1) and the shell count too.
	res := runOK(t, ProcessSpec{
		Command: sh(`n=0; while [ $n -lt 200 ]; do sleep 30 & n=$((n+1)); echo $n; done`),
		Limits:  Limits{Processes: 8, Timeout: 20 * time.Second},
	})
	lines := strings.Fields(string(res.Stdout))
	started := 0
	if len(lines) > 0 {
		started, _ = strconv.Atoi(lines[len(lines)-1])
	}
	t.Logf("%d sleepers started", started)
	if started == 0 || started > 8-2 {
		t.Errorf("%d sleepers started under Processes=8 (stderr %q)", started, res.Stderr)
	}
	if res.ExitCode == 0 || !strings.Contains(string(res.Stderr), "fork") {
		t.Errorf("the shell did not hit the fork limit: exit %d, stderr %q", res.ExitCode, res.Stderr)
	}
	// The sandbox ended with its shell: the sleepers did not outlive it.
	if res.Duration > 10*time.Second {
		t.Errorf("took %s: the sleepers kept the sandbox alive", res.Duration)
	}
}

func TestLimitForkBombKilledWithEverything(t *testing.T) {
	t.Parallel()
	requireSandbox(t)
	marker := fmt.Sprintf("forkbomb-%d", time.Now().UnixNano())
	start := time.Now()
	type outcome struct {
		res Result
		err error
	}
	done := make(chan outcome, 1)
	go func() {
		// The classic bomb, relaunched forever: every copy starts two more.
		res, err := Process(context.Background(), ProcessSpec{
			Command: []string{"/usr/bin/bash", "-c", `: ` + marker + `; b() { b | b & }; while :; do b; done`},
			Limits:  Limits{Processes: 16, Timeout: 2 * time.Second},
		})
		done <- outcome{res, err}
	}()
	peak := 0
	for running := true; running; {
		select {
		case o := <-done:
			running = false
			if !errors.Is(o.err, ErrTimeout) || o.res.Killed != KilledTimeout {
				t.Fatalf("err = %v, killed = %q; want the timeout", o.err, o.res.Killed)
			}
		case <-time.After(50 * time.Millisecond):
			peak = max(peak, len(processesWith(t, marker)))
		}
	}
	if took := time.Since(start); took > 3*time.Second {
		t.Errorf("returned after %s, limit 2s", took)
	}
	t.Logf("peak %d bomb processes", peak)
	if peak == 0 || peak > 16 {
		t.Errorf("saw at most %d bomb processes at once; want some, and no more than Processes=16", peak)
	}
	if !waitFor(2*time.Second, func() bool { return len(processesWith(t, marker)) == 0 }) {
		t.Errorf("bomb processes survived the sandbox: %v", processesWith(t, marker))
	}
}

func TestLimitMemoryBomb(t *testing.T) {
	t.Parallel()
	requireSandbox(t)
	// Doubling a string until allocation fails under RLIMIT_AS.
	res := runOK(t, ProcessSpec{
		Command: []string{"/usr/bin/bash", "-c", `s=x; while :; do s=$s$s; done`},
		Limits:  Limits{MemoryBytes: 64 << 20, Timeout: 20 * time.Second},
	})
	if res.Killed != KilledMemory || res.ExitCode == 0 {
		t.Fatalf("killed = %q, exit %d, stderr %q; want memory", res.Killed, res.ExitCode, res.Stderr)
	}
	if res.Duration > 10*time.Second {
		t.Errorf("took %s", res.Duration)
	}
}

func TestLimitInfiniteLoopTimeout(t *testing.T) {
	t.Parallel()
	requireSandbox(t)
	res, err := Process(context.Background(), ProcessSpec{
		Command: sh(`echo started; while :; do :; done`),
		Limits:  Limits{Timeout: time.Second},
	})
	if !errors.Is(err, ErrTimeout) || res.Killed != KilledTimeout || res.ExitCode != -1 {
		t.Fatalf("err = %v, result %+v; want the timeout", err, res)
	}
	if res.Duration < time.Second || res.Duration > 2*time.Second {
		t.Errorf("killed after %s, want within [1s, 2s]", res.Duration)
	}
	if string(res.Stdout) != "started\n" {
		t.Errorf("partial stdout = %q", res.Stdout)
	}
}

func TestLimitCPUTime(t *testing.T) {
	t.Parallel()
	requireSandbox(t)
	res := runOK(t, ProcessSpec{
		Command: sh(`while :; do :; done`),
		Limits:  Limits{CPUTime: time.Second, Timeout: 20 * time.Second},
	})
	if res.Killed != KilledCPU {
		t.Fatalf("result %+v; want killed for cpu", res)
	}
}

func TestLimitOutputFlood(t *testing.T) {
	t.Parallel()
	requireSandbox(t)
	res := runOK(t, ProcessSpec{
		Command: []string{"/usr/bin/yes", "flood"},
		Limits:  Limits{OutputBytes: 4096, Timeout: 10 * time.Second},
	})
	if len(res.Stdout) != 4096 || !res.Truncated || res.Killed != KilledOutput {
		t.Fatalf("stdout %d bytes, truncated %v, killed %q; want 4096, true, output", len(res.Stdout), res.Truncated, res.Killed)
	}
	if !strings.HasPrefix(string(res.Stdout), "flood\nflood\n") {
		t.Errorf("stdout starts %q", res.Stdout[:12])
	}
	if res.Duration > 5*time.Second {
		t.Errorf("took %s: the flood was not stopped", res.Duration)
	}
}

func TestLimitCallerCancel(t *testing.T) {
	t.Parallel()
	requireSandbox(t)
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	res, err := Process(ctx, ProcessSpec{Command: sh(`sleep 30`)})
	if !errors.Is(err, context.DeadlineExceeded) || errors.Is(err, ErrTimeout) || res.Killed != "" {
		t.Fatalf("err = %v, killed %q; want the caller's deadline", err, res.Killed)
	}
	if res.Duration > 2*time.Second {
		t.Errorf("took %s", res.Duration)
	}
}
