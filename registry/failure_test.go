package registry_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/maso-runtime/maso/identity"
	"github.com/maso-runtime/maso/internal/etcdtest"
	"github.com/maso-runtime/maso/registry"
)

// quorumOpTimeout is the OpTimeout of the quorum tests; quorumMargin is
// how much later than it a refusal may arrive.
const (
	quorumOpTimeout = 2 * time.Second
	quorumMargin    = 1500 * time.Millisecond
)

// watched is the in-memory state a node keeps from watches.
type watched struct {
	revoked *identity.MemoryRevocations
	bundle  *identity.MemoryBundle
	tokens  *registry.TokenCache
	token   string
}

// primeRegistry records a phase history, a trust anchor, a revocation and
// a token, and starts the watches that mirror them into memory.
func primeRegistry(ctx context.Context, t *testing.T, r *registry.Registry) (watched, registry.PhaseState) {
	cur := registry.PhaseState{Phase: registry.PhasePrimary}
	for _, p := range []registry.Phase{registry.PhaseAlternate, registry.PhaseContingency} {
		next := registry.PhaseState{Phase: p, Epoch: cur.Epoch + 1, Who: "sec-1"}
		must(t, r.CASPhase(ctx, cur, next))
		cur = next
	}
	must(t, r.PutTrustAnchor(ctx, newCA(t, "ca-1")))
	must(t, r.Revoke(ctx, registry.Revocation{Serial: "01:02", Agent: "alpha"}))
	tok, err := r.CreateToken(ctx, "admin", "ops", "root")
	must(t, err)
	w := watched{revoked: identity.NewMemoryRevocations(), bundle: identity.NewMemoryBundle(), token: tok}
	must(t, r.WatchRevocations(ctx, w.revoked))
	must(t, r.WatchTrustBundle(ctx, w.bundle))
	w.tokens, err = r.WatchTokens(ctx)
	must(t, err)
	return w, cur
}

// checkWatched asserts the in-memory sets still serve what was loaded.
func checkWatched(t *testing.T, w watched) {
	t.Helper()
	if !w.revoked.IsRevoked("01:02") {
		t.Error("revocation set lost 01:02")
	}
	if bundleNames(w.bundle) != "ca-1" {
		t.Errorf("bundle = %q, want ca-1", bundleNames(w.bundle))
	}
	if _, ok := w.tokens.Lookup(w.token); !ok {
		t.Error("token cache lost the token")
	}
}

// refusedInTime runs op and checks it fails with ErrUnavailable within
// OpTimeout plus a margin, with a message naming what was refused.
func refusedInTime(t *testing.T, what, wantMsg string, op func() error) {
	t.Helper()
	start := time.Now()
	err := op()
	took := time.Since(start)
	if !errors.Is(err, registry.ErrUnavailable) {
		t.Errorf("%s without quorum: %v, want ErrUnavailable", what, err)
		return
	}
	if !strings.Contains(err.Error(), wantMsg) {
		t.Errorf("%s: message %q does not say %q", what, err, wantMsg)
	}
	if took > quorumOpTimeout+quorumMargin {
		t.Errorf("%s took %s to fail, OpTimeout is %s", what, took, quorumOpTimeout)
	}
	t.Logf("%s refused after %s: %v", what, took.Round(time.Millisecond), err)
}

// TestQuorumLoss: with two of three members down writes are refused
// within OpTimeout and the watched sets keep serving; once the members
// are back, pending state is intact and everything works again.
func TestQuorumLoss(t *testing.T) {
	t.Parallel()
	c := etcdtest.NewCluster(t, 3)
	ctx := ctxT(t, 90*time.Second)
	r := connect(t, c.Endpoints(), func(cfg *registry.Config) { cfg.OpTimeout = quorumOpTimeout })
	w, cur := primeRegistry(ctx, t, r)
	pending, err := r.CreateApproval(ctx, newApproval(10*time.Minute, time.Now()))
	must(t, err)
	awaited := make(chan registry.Approval, 1)
	go func() {
		a, err := r.Await(ctx, pending.ID)
		if err != nil {
			t.Errorf("Await across the outage: %v", err)
		}
		awaited <- a
	}()

	c.Stop(1)
	c.Stop(2)
	refusedInTime(t, "Healthy", "not confirmed by a quorum", func() error { return r.Healthy(ctx) })
	next := registry.PhaseState{Phase: registry.PhaseEmergency, Epoch: cur.Epoch + 1}
	refusedInTime(t, "CASPhase", "phase change to emergency (epoch 3) refused", func() error { return r.CASPhase(ctx, cur, next) })
	refusedInTime(t, "CreateApproval", "create approval refused", func() error {
		_, err := r.CreateApproval(ctx, newApproval(time.Minute, time.Now()))
		return err
	})
	refusedInTime(t, "Decide", "decide approval "+pending.ID+" refused", func() error {
		_, err := r.Decide(ctx, pending.ID, true, "supervisor-1", "")
		return err
	})
	checkWatched(t, w)

	c.Start(1)
	c.Start(2)
	c.WaitHealthy()
	waitFor(t, 20*time.Second, func() bool { return r.Healthy(ctx) == nil }, "registry not healthy after the members returned")
	checkAfterOutage(ctx, t, r, w, cur, pending, awaited)
}

// checkAfterOutage: the approval is still pending and decidable, the
// phase history is intact, and the watches resumed.
func checkAfterOutage(ctx context.Context, t *testing.T, r *registry.Registry, w watched, cur registry.PhaseState,
	pending registry.Approval, awaited <-chan registry.Approval) {
	t.Helper()
	if a, err := r.Approval(ctx, pending.ID); err != nil || a.State != registry.ApprovalPending {
		t.Fatalf("approval after outage = %+v, %v; want pending", a, err)
	}
	if _, err := r.Decide(ctx, pending.ID, true, "supervisor-1", "after outage"); err != nil {
		t.Fatalf("decide after outage: %v", err)
	}
	select {
	case a := <-awaited:
		if a.State != registry.ApprovalApproved {
			t.Fatalf("Await = %+v, want approved", a)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Await started before the outage did not see the decision")
	}
	hist, err := r.PhaseHistory(ctx)
	if err != nil || len(hist) != 2 || hist[0].Phase != registry.PhaseAlternate || hist[1].Phase != registry.PhaseContingency {
		t.Fatalf("history after outage = %+v, %v; want [alternate contingency]", hist, err)
	}
	must(t, r.CASPhase(ctx, cur, registry.PhaseState{Phase: registry.PhaseAlternate, Epoch: cur.Epoch + 1}))
	if _, err := r.CreateApproval(ctx, newApproval(time.Minute, time.Now())); err != nil {
		t.Fatalf("create approval after outage: %v", err)
	}
	must(t, r.Revoke(ctx, registry.Revocation{Serial: "03:04"}))
	waitFor(t, 15*time.Second, func() bool { return w.revoked.IsRevoked("03:04") }, "revocation watch did not resume")
	checkWatched(t, w)
}

// TestFullRestart: stopping and restarting every member keeps pending
// approvals, and an Await spanning the restart sees the decision.
func TestFullRestart(t *testing.T) {
	t.Parallel()
	c := etcdtest.NewCluster(t, 3)
	ctx := ctxT(t, 60*time.Second)
	r := connect(t, c.Endpoints())
	a, err := r.CreateApproval(ctx, newApproval(10*time.Minute, time.Now()))
	must(t, err)
	b, err := r.CreateApproval(ctx, newApproval(10*time.Minute, time.Now()))
	must(t, err)
	awaited := make(chan registry.Approval, 1)
	go func() {
		got, err := r.Await(ctx, a.ID)
		if err != nil {
			t.Errorf("Await across the restart: %v", err)
		}
		awaited <- got
	}()
	for i := range 3 {
		c.Stop(i)
	}
	for i := range 3 {
		c.Start(i)
	}
	c.WaitHealthy()
	waitFor(t, 20*time.Second, func() bool { return r.Healthy(ctx) == nil }, "registry not healthy after the restart")
	p, err := r.Approvals(ctx, registry.ApprovalPending)
	if err != nil || len(p) != 2 || p[0].ID != a.ID || p[1].ID != b.ID {
		t.Fatalf("pending after restart = %+v, %v; want both", p, err)
	}
	if _, err := r.Decide(ctx, a.ID, true, "supervisor-1", ""); err != nil {
		t.Fatalf("decide after restart: %v", err)
	}
	select {
	case got := <-awaited:
		if got.State != registry.ApprovalApproved {
			t.Fatalf("Await = %+v, want approved", got)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Await did not see the decision after the restart")
	}
}
