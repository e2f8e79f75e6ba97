package sandbox

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func runWasmOK(t *testing.T, spec WasmSpec) Result {
	t.Helper()
	res, err := Wasm(context.Background(), spec)
	if err != nil {
		t.Fatalf("Wasm: %v\nstdout: %s\nstderr: %s", err, res.Stdout, res.Stderr)
	}
	return res
}

func TestWasmHello(t *testing.T) {
	t.Parallel()
	res := runWasmOK(t, WasmSpec{
		Module: wasmProbe(t),
		Args:   []string{"hello", "a", "b"},
		Env:    map[string]string{"GREETING": "hi"},
		Stdin:  []byte("in"),
	})
	if got, want := string(res.Stdout), "hello a,b env=GREETING=hi stdin=in\n"; got != want {
		t.Errorf("stdout = %q, want %q", got, want)
	}
	if res.ExitCode != 0 || res.Killed != "" || res.Truncated {
		t.Errorf("result %+v", res)
	}
	res = runWasmOK(t, WasmSpec{Module: wasmProbe(t), Args: []string{"no-such-mode"}})
	if res.ExitCode != 1 || !strings.Contains(string(res.Stderr), "unknown mode") {
		t.Errorf("exit code not propagated: %d, stderr %q", res.ExitCode, res.Stderr)
	}
}

func TestWasmNoUndeclaredHostFiles(t *testing.T) {
	t.Parallel()
	secret := filepath.Join(t.TempDir(), "secret.txt")
	writeFile(t, secret, "host secret")
	var steps []string
	for _, p := range []string{secret, "/etc/hostname", "/etc/passwd", "/proc/self/environ"} {
		steps = append(steps, "read:"+p)
	}
	res := runWasmOK(t, WasmSpec{Module: wasmProbe(t), Args: append([]string{"steps"}, steps...)})
	var want strings.Builder
	for _, s := range steps {
		want.WriteString(s + " fail\n")
	}
	if got := string(res.Stdout); got != want.String() {
		t.Errorf("stdout:\n%s\nwant every read refused:\n%s", got, want.String())
	}
}

func TestWasmDirs(t *testing.T) {
	t.Parallel()
	ro, rw, outside := t.TempDir(), t.TempDir(), t.TempDir()
	writeFile(t, filepath.Join(ro, "in.txt"), "declared")
	writeFile(t, filepath.Join(outside, "secret.txt"), "host secret")
	// Symlinks planted on the host: one leading out, one staying inside.
	if err := os.Symlink(filepath.Join(outside, "secret.txt"), filepath.Join(ro, "out-link")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("in.txt", filepath.Join(ro, "in-link")); err != nil {
		t.Fatal(err)
	}
	steps := []struct{ step, outcome string }{
		{"read:/in/in.txt", "ok declared"},
		{"read:/in/in-link", "ok declared"},
		{"read:/in/out-link", "fail"},
		{"rawopen:../" + filepath.Base(outside) + "/secret.txt", "fail"},
		{"rawopen:in.txt", "ok "},
		{"write:/in/new.txt:x", "fail"},
		{"write:/out/result.txt:written", "ok "},
		{"read:/out/result.txt", "ok written"},
		{"symlink:/etc/passwd:/out/link", "fail"},
		{"symlink:result.txt:/out/link2", "fail"},
	}
	args := []string{"steps"}
	var want strings.Builder
	for _, s := range steps {
		args = append(args, s.step)
		want.WriteString(s.step + " " + s.outcome + "\n")
	}
	res := runWasmOK(t, WasmSpec{
		Module: wasmProbe(t),
		Args:   args,
		Dirs:   []Mount{{Host: ro, Sandbox: "/in"}, {Host: rw, Sandbox: "/out", Writable: true}},
	})
	if got := string(res.Stdout); got != want.String() {
		t.Errorf("stdout:\n%s\nwant:\n%s", got, want.String())
	}
	if b, err := os.ReadFile(filepath.Join(rw, "result.txt")); err != nil || string(b) != "written" {
		t.Errorf("host sees %q (%v) in the writable dir", b, err)
	}
	if _, err := os.Lstat(filepath.Join(ro, "new.txt")); err == nil {
		t.Error("a file was created in the read-only dir")
	}
}

func TestWasmTimeout(t *testing.T) {
	t.Parallel()
	res, err := Wasm(context.Background(), WasmSpec{Module: wasmProbe(t), Args: []string{"loop"}, Limits: Limits{Timeout: 500 * time.Millisecond}})
	if !errors.Is(err, ErrTimeout) || res.Killed != KilledTimeout {
		t.Fatalf("err = %v, killed %q; want the timeout", err, res.Killed)
	}
	if res.Duration > 1500*time.Millisecond {
		t.Errorf("stopped after %s, limit 500ms", res.Duration)
	}
}

func TestWasmMemoryLimit(t *testing.T) {
	t.Parallel()
	res := runWasmOK(t, WasmSpec{Module: wasmProbe(t), Args: []string{"grow"}, Limits: Limits{MemoryBytes: 16 << 20, Timeout: time.Minute}})
	if res.Killed != KilledMemory || res.ExitCode == 0 {
		t.Fatalf("killed %q, exit %d, stderr %q; want memory", res.Killed, res.ExitCode, res.Stderr)
	}
}

func TestWasmOutputFlood(t *testing.T) {
	t.Parallel()
	res := runWasmOK(t, WasmSpec{Module: wasmProbe(t), Args: []string{"flood"}, Limits: Limits{OutputBytes: 1000, Timeout: 10 * time.Second}})
	if len(res.Stdout) != 1000 || !res.Truncated || res.Killed != KilledOutput {
		t.Fatalf("stdout %d bytes, truncated %v, killed %q; want 1000, true, output", len(res.Stdout), res.Truncated, res.Killed)
	}
	if res.Duration > 5*time.Second {
		t.Errorf("took %s", res.Duration)
	}
}

func TestWasmRejectsBadSpecs(t *testing.T) {
	t.Parallel()
	for name, spec := range map[string]WasmSpec{
		"not wasm":        {Module: []byte("not a module")},
		"missing dir":     {Module: wasmProbe(t), Dirs: []Mount{{Host: filepath.Join(t.TempDir(), "none"), Sandbox: "/in"}}},
		"relative guest":  {Module: wasmProbe(t), Dirs: []Mount{{Host: t.TempDir(), Sandbox: "in"}}},
		"too little room": {Module: wasmProbe(t), Limits: Limits{MemoryBytes: 64 << 10}},
		"bad env":         {Module: wasmProbe(t), Env: map[string]string{"": "x"}},
	} {
		if _, err := Wasm(context.Background(), spec); !errors.Is(err, ErrSpec) {
			t.Errorf("%s: err = %v, want ErrSpec", name, err)
		}
	}
}
