package registry_test

import (
	"context"
	"runtime"
	"testing"
	"time"

	"github.com/maso-runtime/maso/identity"
	"github.com/maso-runtime/maso/internal/etcdtest"
	"github.com/maso-runtime/maso/registry"
)

// TestWatchesStopWithCtx: every watch loop, a node session and an Await
// end when their ctx ends or the session closes: the goroutine count
// returns to where it was. Not parallel, so the count is this test's
// alone; etcd runs out of process.
func TestWatchesStopWithCtx(t *testing.T) {
	c := etcdtest.NewCluster(t, 1)
	ctx := ctxT(t, 30*time.Second)
	r := connect(t, c.Endpoints())
	// Bring up the client's connection and its lease keepalive stream
	// (both live as long as the client) before counting.
	must(t, r.Healthy(ctx))
	warm, err := r.RegisterNode(ctx, "warm-up", 0)
	must(t, err)
	must(t, warm.Close(ctx))
	base := runtime.NumGoroutine()

	wctx, cancel := context.WithCancel(ctx)
	defer cancel()
	phases := make(chan registry.PhaseState, 8)
	must(t, r.WatchPhase(wctx, func(s registry.PhaseState) { phases <- s }))
	set := identity.NewMemoryRevocations()
	must(t, r.WatchRevocations(wctx, set))
	must(t, r.WatchTrustBundle(wctx, identity.NewMemoryBundle()))
	if _, err := r.WatchTokens(wctx); err != nil {
		t.Fatal(err)
	}
	s, err := r.RegisterNode(ctx, "node-1", 0)
	must(t, err)
	a, err := r.CreateApproval(ctx, newApproval(time.Minute, time.Now()))
	must(t, err)
	awaitDone := make(chan error, 1)
	go func() { _, err := r.Await(wctx, a.ID); awaitDone <- err }()

	must(t, r.CASPhase(ctx, registry.PhaseState{Phase: registry.PhasePrimary}, registry.PhaseState{Phase: registry.PhaseAlternate, Epoch: 1}))
	must(t, r.Revoke(ctx, registry.Revocation{Serial: "aa"}))
	waitFor(t, time.Second, func() bool { return set.IsRevoked("aa") && len(phases) == 2 }, "watches not running")
	if n := runtime.NumGoroutine(); n < base+5 {
		t.Fatalf("%d goroutines with five watches running, base %d: the check below would prove nothing", n, base)
	}

	cancel()
	must(t, s.Close(ctx))
	select {
	case <-awaitDone:
	case <-time.After(5 * time.Second):
		t.Fatal("Await did not return after its ctx ended")
	}
	waitGoroutines(t, base, 5*time.Second)
}
