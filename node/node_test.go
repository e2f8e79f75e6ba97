package node_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/maso-runtime/maso/actors"
	"github.com/maso-runtime/maso/audit"
	"github.com/maso-runtime/maso/node"
	"github.com/maso-runtime/maso/workload/claims"
)

func startClaims(t *testing.T, dir string) *node.Node {
	t.Helper()
	cfg, err := claims.DefaultConfig()
	if err != nil {
		t.Fatal(err)
	}
	w := claims.New()
	n, err := node.Start(context.Background(), node.Options{Config: cfg, DataDir: dir,
		Behaviours: w.Behaviours(), Tools: w.Tools(), Telemetry: &bytes.Buffer{}})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func submitClaim(t *testing.T, n *node.Node, i int) actors.TaskView {
	t.Helper()
	payload, _ := json.Marshal(claims.Synthetic(1, i))
	id, err := n.Submit(context.Background(), "intake", payload)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	v, err := n.Sys.WaitTask(ctx, id)
	if err != nil {
		t.Fatalf("task %s: %v (%+v)", id, err, v)
	}
	return v
}

// TestClaimsWorkloadCompletes: a claim submitted to intake reaches completed,
// with the drafted letter in its trail.
func TestClaimsWorkloadCompletes(t *testing.T) {
	n := startClaims(t, t.TempDir())
	defer n.Stop(context.Background())
	v := submitClaim(t, n, 0)
	if v.State != actors.TaskCompleted {
		t.Fatalf("state %s: %s", v.State, v.Error)
	}
	var letter bool
	for _, e := range v.Trail {
		if e.From == "communication" && e.To == actors.Orchestrator && strings.Contains(string(e.Payload), "Dear ") {
			letter = true
		}
	}
	if !letter {
		t.Fatalf("no letter in the trail: %+v", v.Trail)
	}
	if r, err := n.VerifyAudit(); err != nil || !r.OK || r.Entries == 0 {
		t.Fatalf("audit %+v %v", r, err)
	}
}

// TestRestartKeepsCAAndLog: the CA key and the decision log survive a restart;
// the chain continues and still verifies.
func TestRestartKeepsCAAndLog(t *testing.T) {
	dir := t.TempDir()
	n := startClaims(t, dir)
	submitClaim(t, n, 1)
	ca1 := n.CA.Certificate()
	tok1 := n.Token()
	entries1, head1 := n.Audit.Head()
	if err := n.Stop(context.Background()); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{filepath.Join(dir, "ca", "ca.key"), filepath.Join(dir, node.TokenFile)} {
		st, err := os.Stat(f)
		if err != nil {
			t.Fatal(err)
		}
		if st.Mode().Perm() != 0o600 {
			t.Errorf("%s has mode %v, want 0600", f, st.Mode().Perm())
		}
	}

	n2 := startClaims(t, dir)
	defer n2.Stop(context.Background())
	if !n2.CA.Certificate().Equal(ca1) {
		t.Fatal("CA changed across restart")
	}
	if n2.Token() != tok1 {
		t.Fatal("admin token changed across restart")
	}
	if e, h := n2.Audit.Head(); e != entries1 || h != head1 {
		t.Fatalf("log head after restart %d %s, want %d %s", e, h, entries1, head1)
	}
	submitClaim(t, n2, 2)
	r, err := n2.VerifyAudit()
	if err != nil || !r.OK || r.Entries <= entries1 {
		t.Fatalf("audit after restart %+v %v", r, err)
	}
	// The first entry written after the restart links to the head before it.
	var linked bool
	_ = audit.Read(filepath.Join(dir, "audit"), func(e audit.Entry) error {
		if e.Seq == entries1+1 {
			linked = e.Prev == head1
		}
		return nil
	})
	if !linked {
		t.Fatal("the chain does not continue across the restart")
	}
}

// TestTamperedLogNamesTheEntry flips one byte of a segment and expects
// verification to fail naming the entry.
func TestTamperedLogNamesTheEntry(t *testing.T) {
	dir := t.TempDir()
	n := startClaims(t, dir)
	submitClaim(t, n, 3)
	if err := n.Stop(context.Background()); err != nil {
		t.Fatal(err)
	}
	seg := filepath.Join(dir, "audit", "00000001.log")
	b, err := os.ReadFile(seg)
	if err != nil {
		t.Fatal(err)
	}
	lines := bytes.Split(b, []byte("\n"))
	third := len(lines[0]) + len(lines[1]) + 2 // start of the third line
	i := third + bytes.Index(lines[2], []byte(`"type":"`)) + len(`"type":"`)
	b[i] ^= 0x20
	if err := os.WriteFile(seg, b, 0o600); err != nil {
		t.Fatal(err)
	}
	r, _ := audit.Verify(filepath.Join(dir, "audit"))
	if r.OK || r.Line != 3 || r.Seq != 3 || !strings.Contains(r.Error, "line 3") {
		t.Fatalf("report %+v, want a failure naming line 3", r)
	}
}

func TestAgentsListed(t *testing.T) {
	n := startClaims(t, t.TempDir())
	defer n.Stop(context.Background())
	agents := n.Agents()
	if len(agents) != 4 {
		t.Fatalf("%d agents, want intake, analysis, communication and analysis-backup", len(agents))
	}
	for _, a := range agents {
		want := "active"
		if a.BackupOf != "" {
			want = "stopped" // a backup stands by until PACE Alternate activates it
		}
		if a.State != want || a.CertSerial == "" || a.SPIFFEID != "spiffe://claims.maso.local/agent/"+a.Name {
			t.Errorf("agent %+v", a)
		}
		if a.CertNotAfter.Before(time.Now()) {
			t.Errorf("agent %s certificate already expired", a.Name)
		}
	}
}

// TestStartRefusesBrokenLogTail: a node does not continue a decision log
// whose newest segment fails verification; Start returns the error naming the
// entry (and cleans up what it had started).
func TestStartRefusesBrokenLogTail(t *testing.T) {
	dir := t.TempDir()
	n := startClaims(t, dir)
	submitClaim(t, n, 4)
	if err := n.Stop(context.Background()); err != nil {
		t.Fatal(err)
	}
	seg := filepath.Join(dir, "audit", "00000001.log")
	b, _ := os.ReadFile(seg)
	b[len(b)/2] ^= 0x01
	if err := os.WriteFile(seg, b, 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, _ := claims.DefaultConfig()
	w := claims.New()
	_, err := node.Start(context.Background(), node.Options{Config: cfg, DataDir: dir, Behaviours: w.Behaviours(), Tools: w.Tools()})
	if err == nil || !strings.Contains(err.Error(), "seq") {
		t.Fatalf("Start on a broken log: %v", err)
	}
}
