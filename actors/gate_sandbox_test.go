package actors

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/maso-runtime/maso/config"
	"github.com/maso-runtime/maso/tools"
	"github.com/maso-runtime/maso/tools/sandbox"
)

// TestProcessToolThroughTheGate: a process tool with a signed manifest runs
// through the whole gate in a fresh bubblewrap sandbox: its arguments on
// stdin, its JSON result on stdout; a tool that overruns its time limit is
// killed and the call fails.
func TestProcessToolThroughTheGate(t *testing.T) {
	if err := sandbox.Available(); err != nil {
		t.Fatalf("bubblewrap is needed (make test-deps installs it): %v", err)
	}
	dir := t.TempDir()
	priv, err := tools.GenerateKey(filepath.Join(dir, "keys"))
	if err != nil {
		t.Fatal(err)
	}
	sign := func(name string, script string, limit time.Duration) {
		m := tools.Manifest{Name: name, Version: "1", Description: name, Effect: "read", Reversible: true, Target: "internal",
			MaxDuration: tools.Duration{Duration: limit}, DataClass: "internal", Runtime: "process",
			Params:  json.RawMessage(`{"type":"object"}`),
			Process: &tools.ProcessRuntime{Command: []string{"/bin/sh", "-c", script}}}
		sm, err := tools.Sign(m, priv)
		if err != nil {
			t.Fatal(err)
		}
		if err := tools.WriteSigned(filepath.Join(dir, name+tools.SignedSuffix), sm); err != nil {
			t.Fatal(err)
		}
	}
	sign("read_x", `cat`, 5*time.Second)                  // echoes its arguments
	sign("write_y", `while :; do :; done`, 1*time.Second) // never ends
	yaml := strings.Replace(testYAML, `tools:
  - name: read_x
    effect: read
  - name: write_y
    effect: write`, `tool_signing:
  keys: [keys/tool-signing.pub]
tools:
  - {name: read_x, manifest: read_x.manifest.json}
  - {name: write_y, manifest: write_y.manifest.json}`, 1)
	if err := os.WriteFile(filepath.Join(dir, "maso.yaml"), []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load(filepath.Join(dir, "maso.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	e := newEnvFrom(t, cfg)
	out, err := e.sys.tools.call(context.Background(), "alice", Task{}, "read_x", map[string]int{"n": 7})
	if err != nil || string(out) != `{"n":7}` {
		t.Fatalf("sandboxed echo: %s %v", out, err)
	}
	start := time.Now()
	_, err = e.sys.tools.call(context.Background(), "alice", Task{}, "write_y", map[string]int{})
	if err == nil || time.Since(start) > 5*time.Second {
		t.Fatalf("runaway tool: %v after %s, want killed at its 1s limit", err, time.Since(start))
	}
	if errors.Is(err, ErrToolDenied) {
		t.Fatalf("runaway tool was refused by the gate instead of run and killed: %v", err)
	}
}
