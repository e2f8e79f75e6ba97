package actors

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/maso-runtime/maso/config"
	"github.com/maso-runtime/maso/tools"
)

// signedEnv starts the test system from a config on disk whose tools have
// manifests signed with a fresh key; edit changes the YAML first.
func signedEnv(t testing.TB, extra string, edit ...func(*Deps)) (*testEnv, string) {
	t.Helper()
	dir := t.TempDir()
	priv, err := tools.GenerateKey(filepath.Join(dir, "keys"))
	if err != nil {
		t.Fatal(err)
	}
	for name, effect := range map[string]string{"read_x": "read", "write_y": "write"} {
		m := tools.Manifest{Name: name, Version: "1", Description: name, Effect: tools.Effect(effect), Reversible: true,
			Target: "internal", MaxDuration: tools.Duration{Duration: time.Second}, DataClass: "internal", Runtime: "go",
			AmountArg: "amount",
			Params:    json.RawMessage(`{"type":"object","properties":{"n":{"type":"integer","minimum":0},"amount":{"type":"number"}},"additionalProperties":false}`)}
		sm, err := tools.Sign(m, priv)
		if err != nil {
			t.Fatal(err)
		}
		if err := tools.WriteSigned(filepath.Join(dir, name+tools.SignedSuffix), sm); err != nil {
			t.Fatal(err)
		}
	}
	yaml := strings.Replace(testYAML, `tools:
  - name: read_x
    effect: read
  - name: write_y
    effect: write`, `tool_signing:
  keys: [keys/tool-signing.pub]
tools:
  - {name: read_x, manifest: read_x.manifest.json}
  - {name: write_y, manifest: write_y.manifest.json}`, 1) + extra
	if err := os.WriteFile(filepath.Join(dir, "maso.yaml"), []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load(filepath.Join(dir, "maso.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	return newEnvFrom(t, cfg, edit...), dir
}

const autoWrites = `
classification:
  rules:
    - {name: writes-ok, when: 'tool == "write_y"', decision: auto}
`

// The cap-fraction floor escalates a call that takes a cap past half; this
// test config approves every escalation, as a person at the console would.
type approveAll struct{}

func (approveAll) Approve(context.Context, ApprovalRequest) (bool, string, error) {
	return true, "test approver", nil
}

func TestGateSchemaViolationNamesTheField(t *testing.T) {
	e, _ := signedEnv(t, "")
	_, err := e.sys.tools.call(context.Background(), "alice", Task{}, "read_x", map[string]any{"n": -1})
	if !errors.Is(err, ErrToolDenied) || !strings.Contains(err.Error(), `"n"`) {
		t.Fatalf("schema violation: %v", err)
	}
	_, err = e.sys.tools.call(context.Background(), "alice", Task{}, "read_x", map[string]any{"bogus": 1})
	if !errors.Is(err, ErrToolDenied) || !strings.Contains(err.Error(), "bogus") {
		t.Fatalf("unknown argument: %v", err)
	}
	if e.tools.count() != 0 {
		t.Fatal("a tool ran with invalid arguments")
	}
	if _, err := e.sys.tools.call(context.Background(), "alice", Task{}, "read_x", map[string]any{"n": 2}); err != nil {
		t.Fatalf("valid call: %v", err)
	}
}

// TestGateRefusesManifestChangedAfterApproval: the rug pull. The manifest
// file is replaced after the node approved it (even validly re-signed with
// another key, or edited in place): the next call is refused (SC-2.2).
func TestGateRefusesManifestChangedAfterApproval(t *testing.T) {
	e, dir := signedEnv(t, "")
	if _, err := e.sys.tools.call(context.Background(), "alice", Task{}, "read_x", nil); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "read_x"+tools.SignedSuffix)
	b, _ := os.ReadFile(path)
	changed := strings.Replace(string(b), `"description": "read_x"`, `"description": "read_x, now also exports data"`, 1)
	if changed == string(b) {
		t.Fatal("the test did not change the manifest")
	}
	time.Sleep(10 * time.Millisecond) // a new modification time
	if err := os.WriteFile(path, []byte(changed), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := e.sys.tools.call(context.Background(), "alice", Task{}, "read_x", nil)
	if !errors.Is(err, ErrToolDenied) || !strings.Contains(err.Error(), "SC-2.2") {
		t.Fatalf("changed manifest: %v", err)
	}
	// Re-signed with a key the node does not trust: refused as well.
	other, _ := tools.GenerateKey(filepath.Join(t.TempDir(), "k"))
	m, _ := tools.LoadManifest(writeTemp(t, `{"name":"read_x","version":"2","description":"x","effect":"read","reversible":true,"target":"internal","max_duration":"1s","data_class":"internal","runtime":"go","params":{"type":"object"}}`))
	resigned, _ := tools.Sign(m, other)
	if err := tools.WriteSigned(path, resigned); err != nil {
		t.Fatal(err)
	}
	if _, err := e.sys.tools.call(context.Background(), "alice", Task{}, "read_x", nil); !errors.Is(err, ErrToolDenied) {
		t.Fatalf("re-signed manifest: %v", err)
	}
	if e.tools.count() != 1 {
		t.Fatalf("the tool ran %d times, want 1 (before the change)", e.tools.count())
	}
}

func writeTemp(t *testing.T, s string) string {
	p := filepath.Join(t.TempDir(), "m.json")
	if err := os.WriteFile(p, []byte(s), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestGateRefusesTamperedManifestAtStart: a manifest edited after signing
// does not load; the node does not start (SC-2.2, SC-2.4).
func TestGateRefusesTamperedManifestAtStart(t *testing.T) {
	_, dir := signedEnv(t, "")
	path := filepath.Join(dir, "write_y"+tools.SignedSuffix)
	b, _ := os.ReadFile(path)
	if err := os.WriteFile(path, []byte(strings.Replace(string(b), `"effect": "write"`, `"effect": "read"`, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load(filepath.Join(dir, "maso.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	_, deps := prepareEnv(t, cfg)
	if _, err = New(cfg, deps); err == nil || !strings.Contains(err.Error(), "write_y") {
		t.Fatalf("New with a tampered manifest: %v", err)
	}
}

// TestBlastRadiusCap: the excess over a per-task cap is blocked and PACE
// P→A is proposed (EC-2.3).
func TestBlastRadiusCap(t *testing.T) {
	var mu sync.Mutex
	var proposed []string
	e, _ := signedEnv(t, autoWrites+`
limits:
  per_task: {records: 2, money: 100}
`, func(d *Deps) {
		d.Approver = approveAll{}
		d.OnTrip = func(agent, reason string) { mu.Lock(); proposed = append(proposed, agent+": "+reason); mu.Unlock() }
	})
	task := Task{ID: "t-1"}
	for i := 0; i < 2; i++ {
		if _, err := e.sys.tools.call(context.Background(), "alice", task, "write_y", map[string]any{"n": i}); err != nil {
			t.Fatalf("write %d within the cap: %v", i, err)
		}
	}
	_, err := e.sys.tools.call(context.Background(), "alice", task, "write_y", map[string]any{"n": 3})
	if !errors.Is(err, ErrToolDenied) || !strings.Contains(err.Error(), "EC-2.3") || !strings.Contains(err.Error(), "records") {
		t.Fatalf("third write: %v", err)
	}
	if _, err := e.sys.tools.call(context.Background(), "alice", Task{ID: "t-2"}, "write_y", map[string]any{"amount": 150}); !errors.Is(err, tools.ErrCapExceeded) && !strings.Contains(err.Error(), "money") {
		t.Fatalf("money over the cap: %v", err)
	}
	if e.tools.count() != 2 {
		t.Fatalf("%d writes ran, want 2", e.tools.count())
	}
	mu.Lock()
	defer mu.Unlock()
	if len(proposed) == 0 || !strings.Contains(proposed[0], "blast-radius cap exceeded") {
		t.Fatalf("P→A proposals: %v", proposed)
	}
}

// TestRateLimit: beyond rate_per_hour an agent's calls are throttled (EC-1.3).
func TestRateLimit(t *testing.T) {
	e, _ := signedEnv(t, "limits:\n  rate_per_hour: 3\n")
	for i := 0; i < 3; i++ {
		if _, err := e.sys.tools.call(context.Background(), "alice", Task{}, "read_x", nil); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := e.sys.tools.call(context.Background(), "alice", Task{}, "read_x", nil); !errors.Is(err, ErrToolDenied) || !strings.Contains(err.Error(), "EC-1.3") {
		t.Fatalf("fourth call: %v", err)
	}
}

// BenchmarkToolGate measures the gate alone (manifest signature and hash
// check, permission, schema, rate limit, caps, classification, decision
// log) for an auto-approved in-process read tool whose own work is nothing.
func BenchmarkToolGate(b *testing.B) {
	e, _ := signedEnv(b, "limits:\n  rate_per_hour: 100000000\n", func(d *Deps) {
		d.Tools = map[string]ToolFunc{"read_x": func(context.Context, ToolCall) (any, error) { return nil, nil },
			"write_y": func(context.Context, ToolCall) (any, error) { return nil, nil }}
	})
	args := map[string]any{"n": 1}
	lat := make([]time.Duration, b.N)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		if _, err := e.sys.tools.call(context.Background(), "alice", Task{}, "read_x", args); err != nil {
			b.Fatal(err)
		}
		lat[i] = time.Since(start)
	}
	b.StopTimer()
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	b.ReportMetric(float64(lat[len(lat)/2].Nanoseconds()), "p50-ns")
	b.ReportMetric(float64(lat[len(lat)*99/100].Nanoseconds()), "p99-ns")
}
