package sandbox

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// requireSandbox fails the test when bubblewrap cannot run here.
func requireSandbox(t *testing.T) {
	t.Helper()
	if err := Available(); err != nil {
		t.Fatalf("the process sandbox needs bubblewrap (make test-deps installs it): %v", err)
	}
}

func sh(script string) []string { return []string{"/bin/sh", "-c", script} }

// runOK runs spec and fails the test on an error.
func runOK(t *testing.T, spec ProcessSpec) Result {
	t.Helper()
	res, err := Process(context.Background(), spec)
	if err != nil {
		t.Fatalf("Process: %v\nstdout: %s\nstderr: %s", err, res.Stdout, res.Stderr)
	}
	return res
}

// sandboxDir returns a new directory the sandboxed user can read (and,
// if writable, write). When the tests run as root the sandbox runs as
// unprivilegedID, and t.TempDir's parent is private to root.
func sandboxDir(t *testing.T, writable bool) string {
	t.Helper()
	dir := t.TempDir()
	for _, d := range []string{filepath.Dir(dir), dir} {
		if err := os.Chmod(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if writable && os.Geteuid() == 0 {
		if err := os.Chown(dir, unprivilegedID, unprivilegedID); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// processesWith returns the pids whose command line contains marker,
// leaving out this process's own children (bwrap outside the sandbox).
func processesWith(t *testing.T, marker string) []string {
	t.Helper()
	cmdlines, err := filepath.Glob("/proc/[0-9]*/cmdline")
	if err != nil {
		t.Fatal(err)
	}
	var pids []string
	for _, c := range cmdlines {
		b, err := os.ReadFile(c)
		if err != nil || !strings.Contains(string(b), marker) {
			continue
		}
		status, err := os.ReadFile(filepath.Join(filepath.Dir(c), "status"))
		if err == nil && strings.Contains(string(status), fmt.Sprintf("\nPPid:\t%d\n", os.Getpid())) {
			continue
		}
		pids = append(pids, filepath.Base(filepath.Dir(c)))
	}
	return pids
}

// waitFor polls cond every 20ms until it holds or d passes.
func waitFor(d time.Duration, cond func() bool) bool {
	for end := time.Now().Add(d); ; time.Sleep(20 * time.Millisecond) {
		if cond() {
			return true
		}
		if time.Now().After(end) {
			return false
		}
	}
}
