//go:build unix

package mcp

import (
	"encoding/json"
	"errors"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"syscall"
	"testing"
	"time"

	"github.com/maso-runtime/maso/tools"
)

type echoOut struct {
	Text string   `json:"text"`
	PID  int      `json:"pid"`
	Env  []string `json:"env"`
}

// buildStdioServer builds testdata/stdioserver into a temporary
// directory.
func buildStdioServer(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "stdioserver")
	out, err := exec.Command("go", "build", "-o", bin, "./testdata/stdioserver").CombinedOutput()
	if err != nil {
		t.Fatalf("go build testdata/stdioserver: %v\n%s", err, out)
	}
	return bin
}

// TestStdioServer: a child-process server allow-listed by command is
// pinned and called, sees no environment but PATH, logs its stderr, and
// is restarted after it dies.
func TestStdioServer(t *testing.T) {
	bin := buildStdioServer(t)
	t.Setenv("MASO_TEST_SECRET", "must-not-leak")
	base := runtime.NumGoroutine()
	r, _, logs := newRegistry(t, Server{Name: "local", Command: []string{bin, "-desc", "Echo the text."}})
	ctx := ctxT(t, 30*time.Second)

	desc, sha, err := r.Describe(ctx, "local", "echo")
	must(t, err)
	if desc != "Echo the text." {
		t.Fatalf("description %q", desc)
	}
	echo := pinned("local", "echo", sha)
	first := callEcho(t, r, echo, "hello")
	if first.Text != "hello" {
		t.Fatalf("echo returned %q", first.Text)
	}
	if !slices.Equal(first.Env, []string{"PATH"}) {
		t.Fatalf("server environment %v, want only PATH", first.Env)
	}
	waitFor(t, 5*time.Second, func() bool {
		return contains(logs.String(), "server stderr", "server=local", "ready")
	}, "the server's stderr was not logged:\n"+logs.String())

	exitSHA, err := r.Pin(ctx, "local", "exit")
	must(t, err)
	_, err = r.Call(ctx, pinned("local", "exit", exitSHA), nil)
	wantErr(t, err, ErrUnavailable, `"local"`)

	second := callEcho(t, r, echo, "again")
	if second.Text != "again" || second.PID == first.PID {
		t.Fatalf("after the exit: %+v (first pid %d)", second, first.PID)
	}

	waitFor(t, 10*time.Second, func() bool { return errors.Is(syscall.Kill(first.PID, 0), syscall.ESRCH) },
		"the exited server was not reaped")

	// Close stops the child and leaves no goroutine behind.
	must(t, r.Close())
	if err := syscall.Kill(second.PID, 0); !errors.Is(err, syscall.ESRCH) {
		t.Fatalf("server process %d still there after Close: %v", second.PID, err)
	}
	waitFor(t, 5*time.Second, func() bool { return runtime.NumGoroutine() <= base },
		"goroutines left after Close")
}

func callEcho(t *testing.T, r *Registry, rt tools.MCPRuntime, text string) echoOut {
	t.Helper()
	args, err := json.Marshal(map[string]string{"text": text})
	must(t, err)
	out, err := r.Call(ctxT(t, 10*time.Second), rt, args)
	must(t, err)
	var got echoOut
	must(t, json.Unmarshal(out, &got))
	return got
}

// TestStdioCommandMissing: a command that cannot start is unavailable.
func TestStdioCommandMissing(t *testing.T) {
	r, _, _ := newRegistry(t, Server{Name: "local", Command: []string{filepath.Join(t.TempDir(), "absent")}})
	wantErr(t, r.Connect(ctxT(t, 10*time.Second), "local"), ErrUnavailable, `connecting to server "local"`)
}
