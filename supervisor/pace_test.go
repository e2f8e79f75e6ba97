package supervisor_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/maso-runtime/maso/actors"
	"github.com/maso-runtime/maso/audit"
	"github.com/maso-runtime/maso/registry"
	"github.com/maso-runtime/maso/supervisor"
)

// TestPrimaryToAlternateAutomated is the Tier 2 "P→A automated transition
// test": an agent's anomalous behaviour (three guard blocks in ten minutes)
// trips its circuit breaker and the runtime moves to Alternate on its own,
// with every response action: the agent isolated, its backup active with
// read-only tools and its role routed to it, every write waiting for a human,
// drift thresholds halved, the security webhook notified.
func TestPrimaryToAlternateAutomated(t *testing.T) {
	e := startPACE(t)
	for i := 0; i < 3; i++ {
		id, err := e.submit("flow", `{"rogue":true}`)
		if err != nil {
			t.Fatal(err)
		}
		// Each is blocked at the tool gate (EC-1.2); the third also trips
		// worker's circuit breaker.
		if v := e.wait(id); v.State != actors.TaskBlocked || !strings.Contains(v.Error, "EC-1.2") {
			t.Fatalf("rogue task %d: %s %s", i, v.State, v.Error)
		}
	}
	ps := e.waitPhase(supervisor.Alternate)
	if !ps.Auto || ps.Agent != "worker" || ps.Who != "runtime" {
		t.Fatalf("phase %+v: want an automated transition naming worker", ps)
	}
	waitFor(t, "worker isolated", func() bool { return e.state("worker") == "isolated" })
	if got := e.state("worker-backup"); got != "backup" {
		t.Fatalf("backup state %q", got)
	}
	backup, _ := e.n.Agent("worker-backup")
	if strings.Join(backup.Tools, ",") != "lookup" {
		t.Fatalf("backup tools %v, want read-only [lookup]", backup.Tools)
	}
	waitFor(t, "drift thresholds halved", func() bool {
		var factor float64
		ok, err := e.n.Registry().Setting(context.Background(), supervisor.SettingDriftFactor, &factor)
		return ok && err == nil && factor == 0.5
	})
	waitFor(t, "the webhook", func() bool { return len(e.hooks.got()) == 1 })
	if h := e.hooks.got()[0]; h.From != supervisor.Primary || h.To != supervisor.Alternate || h.Agent != "worker" || !h.Auto {
		t.Fatalf("webhook event %+v", h)
	}

	// A write now waits for a human; approved, the task runs, and worker's
	// role is served by the backup.
	id, err := e.submit("flow", `{"claim":1}`)
	if err != nil {
		t.Fatal(err)
	}
	ap := e.pending()
	if ap.Agent != "front" || ap.Tool != "record" || ap.ArgsHash != registry.ActionHash(ap.Action) || ap.TaskID != id {
		t.Fatalf("approval %+v", ap)
	}
	if _, err := e.n.Decide(context.Background(), ap.ID, true, "checked", operator); err != nil {
		t.Fatal(err)
	}
	v := e.wait(id)
	if v.State != actors.TaskCompleted || !strings.Contains(string(v.Result), "worker-backup") {
		t.Fatalf("task after approval: %+v", v)
	}
}

// TestDeniedApprovalHasNoSideEffect: a denied write does not run and fails
// its task.
func TestDeniedApprovalHasNoSideEffect(t *testing.T) {
	e := startPACE(t)
	if _, err := e.n.SetPhase(context.Background(), supervisor.Alternate, "drill", "worker", security); err != nil {
		t.Fatal(err)
	}
	id, _ := e.submit("flow", `{"claim":2}`)
	ap := e.pending()
	if _, err := e.n.Decide(context.Background(), ap.ID, false, "not justified", operator); err != nil {
		t.Fatal(err)
	}
	v := e.wait(id)
	if v.State != actors.TaskBlocked || !strings.Contains(v.Error, "denied") {
		t.Fatalf("task %s %s, want blocked by the denial", v.State, v.Error)
	}
	for _, tr := range v.Trail {
		if tr.To == "worker" || tr.To == "worker-backup" {
			t.Fatalf("work continued after a denial: %+v", tr)
		}
	}
	if _, err := e.n.Decide(context.Background(), ap.ID, true, "again", operator); !errors.Is(err, registry.ErrAlreadyDecided) {
		t.Fatalf("second decision: %v", err)
	}
}

// TestAlternateToContingencyManual is the Tier 2 "A→C manual transition
// test": security moves to Contingency; orchestration stops except for the
// one designated agent, whose every action needs approval, and every agent's
// state and memory is captured in content-addressed snapshots logged by hash.
func TestAlternateToContingencyManual(t *testing.T) {
	e := startPACE(t)
	ctx := context.Background()
	if _, err := e.n.SetPhase(ctx, supervisor.Alternate, "drill", "worker", security); err != nil {
		t.Fatal(err)
	}
	if _, err := e.n.SetPhase(ctx, supervisor.Contingency, "escalate", "", operator); !isForbidden(err, supervisor.Security) {
		t.Fatalf("operator A→C: %v, want a refusal naming security", err)
	}
	if _, err := e.n.SetPhase(ctx, supervisor.Contingency, "backup also anomalous", "", security); err != nil {
		t.Fatal(err)
	}
	e.waitPhase(supervisor.Contingency)
	if _, err := e.submit("direct", `{}`); !errors.Is(err, actors.ErrSuspended) {
		t.Fatalf("task for a suspended agent: %v", err)
	}
	id, err := e.submit("flow", `{"claim":3}`) // front is the contingency agent
	if err != nil {
		t.Fatal(err)
	}
	ap := e.pending() // even front's actions wait for a human
	if _, err := e.n.Decide(ctx, ap.ID, true, "ok", operator); err != nil {
		t.Fatal(err)
	}
	v := e.wait(id)
	if v.State != actors.TaskBlocked || !strings.Contains(v.Error, "contingency") || !strings.Contains(v.Error, "EC-3.2") {
		t.Fatalf("front→worker in contingency: %s %s, want blocked: inter-agent messages are suspended", v.State, v.Error)
	}
	checkSnapshots(t, e, "contingency", 3)
}

// checkSnapshots verifies that the decision log names at least n snapshots
// of phase, and that each file's name is its content's SHA-256.
func checkSnapshots(t *testing.T, e *paceEnv, phase string, n int) {
	t.Helper()
	var found int
	err := audit.Read(filepath.Join(e.dir, "audit"), func(en audit.Entry) error {
		if en.Event.Type != "pace.snapshot" || en.Event.Phase != phase {
			return nil
		}
		found++
		b, err := os.ReadFile(filepath.Join(e.dir, "snapshots", en.Event.Attrs["file"]))
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		if hex.EncodeToString(sum[:]) != en.Event.Attrs["sha256"] {
			t.Errorf("snapshot %s does not match its logged hash", en.Event.Attrs["file"])
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if found < n {
		t.Fatalf("%d %s snapshots logged, want %d (one per agent)", found, phase, n)
	}
}

// TestAlternateTimesOutToContingency: Alternate unresolved for 48 hours moves
// to Contingency on its own (the PACE clock is moved, not waited for).
func TestAlternateTimesOutToContingency(t *testing.T) {
	e := startPACE(t)
	if _, err := e.n.SetPhase(context.Background(), supervisor.Alternate, "drill", "worker", security); err != nil {
		t.Fatal(err)
	}
	time.Sleep(50 * time.Millisecond)
	if got := e.n.Control().Current().Phase; got != supervisor.Alternate {
		t.Fatalf("left alternate early: %s", got)
	}
	e.clock.Advance(48*time.Hour + time.Second)
	ps := e.waitPhase(supervisor.Contingency)
	if !ps.Auto || !strings.Contains(ps.Reason, "48h") {
		t.Fatalf("phase %+v", ps)
	}
}

// TestFullPACECycle walks P→A→C→E→P: every transition's actions run, the
// kill switch stops every agent and revokes its credential, the recovery
// needs the CISO and a complete post-incident review, and afterwards tasks
// complete again with fresh credentials.
func TestFullPACECycle(t *testing.T) {
	e := startPACE(t)
	ctx := context.Background()
	before := serials(e)
	if _, err := e.n.SetPhase(ctx, supervisor.Alternate, "drill", "worker", security); err != nil {
		t.Fatal(err)
	}
	if _, err := e.n.SetPhase(ctx, supervisor.Contingency, "drill", "", security); err != nil {
		t.Fatal(err)
	}
	if _, err := e.n.KillSwitch(ctx, "drill", security); !isForbidden(err, supervisor.CISO) {
		t.Fatalf("kill switch by security: %v", err)
	}
	res, err := e.n.KillSwitch(ctx, "drill", ciso)
	if err != nil || !res.Recorded || res.Phase != supervisor.Emergency {
		t.Fatalf("kill switch: %+v %v", res, err)
	}
	if res.StoppedAgents != 2 { // in contingency front and worker's backup were still up
		t.Fatalf("stopped %d agents, want 2", res.StoppedAgents)
	}
	for _, a := range e.n.Agents() {
		if a.State != "stopped" {
			t.Fatalf("agent %s is %s after the kill switch", a.Name, a.State)
		}
	}
	if _, err := e.submit("flow", `{}`); !errors.Is(err, actors.ErrSuspended) {
		t.Fatalf("task in emergency: %v", err)
	}
	revs, _ := e.n.Registry().Revocations(ctx)
	for name, s := range before {
		if !revoked(revs, s) {
			t.Errorf("credential of %s (%s) not revoked", name, s)
		}
	}
	if e.comp.Load() != 1 {
		t.Errorf("compensating action ran %d times, want 1", e.comp.Load())
	}
	checkSnapshots(t, e, "emergency", 3)

	if _, err := e.n.Recover(ctx, registry.Review{RootCause: "x", Remediation: "y", BaselinesUpdated: true, Approver: "ciso"}, security); !isForbidden(err, supervisor.CISO) {
		t.Fatalf("recovery by security: %v", err)
	}
	if _, err := e.n.Recover(ctx, registry.Review{RootCause: "poisoned policy addendum"}, ciso); !errors.Is(err, supervisor.ErrReviewRequired) ||
		!strings.Contains(err.Error(), "remediation") || !strings.Contains(err.Error(), "approver") {
		t.Fatalf("recovery with an incomplete review: %v", err)
	}
	review := registry.Review{RootCause: "poisoned policy addendum", Remediation: "addendum corrected", BaselinesUpdated: true, Approver: "J. Doe, CISO"}
	if _, err := e.n.Recover(ctx, review, ciso); err != nil {
		t.Fatal(err)
	}
	e.waitPhase(supervisor.Primary)
	after := serials(e)
	for name, s := range after {
		if s == before[name] || s == "" {
			t.Errorf("%s kept its revoked credential %s", name, s)
		}
	}
	id, err := e.submit("flow", `{"claim":9}`)
	if err != nil {
		t.Fatal(err)
	}
	if v := e.wait(id); v.State != actors.TaskCompleted {
		t.Fatalf("task after recovery: %+v", v)
	}
	hist, _ := e.n.Control().History(ctx)
	var path []string
	for _, h := range hist {
		path = append(path, string(h.Phase))
	}
	if strings.Join(path, ">") != "alternate>contingency>emergency>primary" {
		t.Fatalf("history %v", path)
	}
	if got, ok, _ := e.n.Registry().Review(ctx, hist[3].Epoch); !ok || got.Approver != review.Approver {
		t.Fatalf("review not recorded with the recovery: %+v", got)
	}
}

func serials(e *paceEnv) map[string]string {
	out := map[string]string{}
	for _, a := range e.n.Agents() {
		out[a.Name] = a.CertSerial
	}
	return out
}

func revoked(revs []registry.Revocation, serial string) bool {
	for _, r := range revs {
		if r.Serial == serial {
			return true
		}
	}
	return false
}

// TestAuthorityRefusals: each transition refused to a role below the one the
// PACE rules require, and the automated actor confined to P→A and A→C.
func TestAuthorityRefusals(t *testing.T) {
	cases := []struct {
		from, to registry.Phase
		a        supervisor.Actor
		need     supervisor.Role
	}{
		{supervisor.Primary, supervisor.Alternate, operator, supervisor.Security},
		{supervisor.Alternate, supervisor.Contingency, operator, supervisor.Security},
		{supervisor.Primary, supervisor.Emergency, security, supervisor.CISO},
		{supervisor.Contingency, supervisor.Emergency, security, supervisor.CISO},
		{supervisor.Emergency, supervisor.Primary, security, supervisor.CISO},
	}
	for _, c := range cases {
		if err := supervisor.Authorize(c.from, c.to, c.a); !isForbidden(err, c.need) {
			t.Errorf("%s→%s by %s: %v, want a refusal naming %s", c.from, c.to, c.a.Role, err, c.need)
		}
		if err := supervisor.Authorize(c.from, c.to, supervisor.Actor{Role: c.need}); err != nil {
			t.Errorf("%s→%s by %s: %v", c.from, c.to, c.need, err)
		}
	}
	auto := supervisor.Actor{Name: "runtime", Auto: true}
	if err := supervisor.Authorize(supervisor.Primary, supervisor.Emergency, auto); !errors.Is(err, supervisor.ErrForbidden) {
		t.Errorf("automated P→E: %v", err)
	}
	if err := supervisor.Authorize(supervisor.Emergency, supervisor.Alternate, supervisor.Actor{Role: supervisor.CISO}); !errors.Is(err, supervisor.ErrBadTransition) {
		t.Errorf("E→A: %v", err)
	}
	// Through the node, a refusal is also a decision-log entry.
	e := startPACE(t)
	if _, err := e.n.SetPhase(context.Background(), supervisor.Emergency, "x", "", operator); !isForbidden(err, supervisor.CISO) {
		t.Fatalf("operator P→E: %v", err)
	}
	var logged bool
	_ = audit.Read(filepath.Join(e.dir, "audit"), func(en audit.Entry) error {
		logged = logged || en.Event.Type == "pace.refused"
		return nil
	})
	if !logged {
		t.Fatal("refused transition not in the decision log")
	}
}

// TestApprovalsSurviveRestart: a pending approval is kept across a restart
// of masod and its embedded etcd, and can be decided afterwards.
func TestApprovalsSurviveRestart(t *testing.T) {
	e := startPACE(t)
	if _, err := e.n.SetPhase(context.Background(), supervisor.Alternate, "drill", "worker", security); err != nil {
		t.Fatal(err)
	}
	if _, err := e.submit("flow", `{"claim":5}`); err != nil {
		t.Fatal(err)
	}
	ap := e.pending()
	if err := e.n.Stop(context.Background()); err != nil {
		t.Fatal(err)
	}
	e.start()
	got := e.pending()
	if got.ID != ap.ID || got.ArgsHash != ap.ArgsHash {
		t.Fatalf("after restart: %+v, want %+v", got, ap)
	}
	if e.n.Control().Current().Phase != supervisor.Alternate {
		t.Fatalf("phase after restart: %s", e.n.Control().Current().Phase)
	}
	if d, err := e.n.Decide(context.Background(), ap.ID, true, "after restart", operator); err != nil || d.State != registry.ApprovalApproved {
		t.Fatalf("decide after restart: %+v %v", d, err)
	}
}
