package registry_test

import (
	"context"
	"errors"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/maso-runtime/maso/internal/etcdtest"
	"github.com/maso-runtime/maso/registry"
)

// suite is the behaviour every healthy cluster must show; it runs against
// a full 3-member cluster and again with one member stopped. Subtests run
// in parallel, each under its own key prefix.
var suite = []struct {
	name string
	run  func(t *testing.T, eps []string)
}{
	{"AgentsVanishWithSession", testAgentsVanishWithSession},
	{"AgentsVanishWhenLeaseExpires", testAgentsVanishWhenLeaseExpires},
	{"LeaseReplacedWhenLost", testLeaseReplacedWhenLost},
	{"CASPhase", testCASPhase},
	{"CASPhaseConcurrent", testCASPhaseConcurrent},
	{"WatchPhase", testWatchPhase},
	{"Approvals", testApprovals},
	{"ApprovalExpiry", testApprovalExpiry},
	{"AwaitDecision", testAwaitDecision},
	{"AwaitExpiry", testAwaitExpiry},
	{"Tokens", testTokens},
	{"TokenCache", testTokenCache},
	{"Revocations", testRevocations},
	{"TrustBundle", testTrustBundle},
	{"Settings", testSettings},
}

func runSuite(t *testing.T, eps []string) {
	for _, tc := range suite {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tc.run(t, eps)
		})
	}
}

// TestCluster runs the suite against a 3-member cluster of the etcd
// binary.
func TestCluster(t *testing.T) {
	t.Parallel()
	c := etcdtest.NewCluster(t, 3)
	runSuite(t, c.Endpoints())
}

// TestClusterOneMemberDown: with one of three members stopped, the suite
// still passes (the client's endpoint list still names the stopped one).
func TestClusterOneMemberDown(t *testing.T) {
	t.Parallel()
	c := etcdtest.NewCluster(t, 3)
	c.Stop(2)
	runSuite(t, c.Endpoints())
}

func agent(name string) registry.AgentRecord {
	return registry.AgentRecord{Name: name, Role: "intake", State: registry.AgentActive, Counters: map[string]int64{"calls": 3}}
}

func agentNames(t *testing.T, r *registry.Registry) []string {
	t.Helper()
	as, err := r.Agents(ctxT(t, 5*time.Second))
	must(t, err)
	var names []string
	for _, a := range as {
		names = append(names, a.Name)
	}
	return names
}

func testAgentsVanishWithSession(t *testing.T, eps []string) {
	ctx := ctxT(t, 20*time.Second)
	r := connect(t, eps)
	s, err := r.RegisterNode(ctx, "node-1", 0)
	must(t, err)
	must(t, s.PutAgent(ctx, agent("alpha")))
	must(t, s.PutAgent(ctx, agent("beta")))
	if err := s.PutAgent(ctx, registry.AgentRecord{Name: "gamma", Node: "node-2", State: registry.AgentActive}); !errors.Is(err, registry.ErrInvalid) {
		t.Errorf("PutAgent for another node: %v, want ErrInvalid", err)
	}
	if got := agentNames(t, r); len(got) != 2 || got[0] != "alpha" || got[1] != "beta" {
		t.Fatalf("agents = %q, want [alpha beta]", got)
	}
	a, ok, err := r.Agent(ctx, "alpha")
	if err != nil || !ok || a.Node != "node-1" || a.Counters["calls"] != 3 || a.UpdatedAt.IsZero() {
		t.Fatalf("Agent(alpha) = %+v, %v, %v", a, ok, err)
	}
	nodes, err := r.Nodes(ctx)
	if err != nil || len(nodes) != 1 || nodes[0].Name != "node-1" {
		t.Fatalf("Nodes = %+v, %v", nodes, err)
	}
	must(t, s.Close(ctx))
	must(t, s.Close(ctx)) // idempotent
	if got := agentNames(t, r); len(got) != 0 {
		t.Fatalf("agents after Close = %q, want none", got)
	}
	if nodes, _ := r.Nodes(ctx); len(nodes) != 0 {
		t.Fatalf("nodes after Close = %+v", nodes)
	}
}

// testAgentsVanishWhenLeaseExpires: a node that dies without closing its
// session (here: its client closes) loses its agents after the TTL.
func testAgentsVanishWhenLeaseExpires(t *testing.T, eps []string) {
	ctx := ctxT(t, 30*time.Second)
	r := connect(t, eps)
	dying := connect(t, eps)
	s, err := dying.RegisterNode(ctx, "node-dying", 2*time.Second)
	must(t, err)
	must(t, s.PutAgent(ctx, agent("delta")))
	must(t, dying.Close()) // no revoke: the keepalive just stops
	closed := time.Now()
	if got := agentNames(t, r); len(got) != 1 {
		t.Fatalf("agents right after the node died = %q, want [delta] until the lease expires", got)
	}
	waitFor(t, 10*time.Second, func() bool { return len(agentNames(t, r)) == 0 }, "agent still registered after its lease's TTL")
	if d := time.Since(closed); d < time.Second {
		t.Errorf("agent vanished after %s, before the 2s lease could expire", d)
	}
}

// testLeaseReplacedWhenLost: if the lease disappears under a live
// session, the session grants a new lease and puts its keys back.
func testLeaseReplacedWhenLost(t *testing.T, eps []string) {
	ctx := ctxT(t, 30*time.Second)
	r := connect(t, eps)
	s, err := r.RegisterNode(ctx, "node-1", 2*time.Second)
	must(t, err)
	t.Cleanup(func() { _ = s.Close(context.Background()) })
	must(t, s.PutAgent(ctx, agent("epsilon")))
	old := s.LeaseID()
	if _, err := r.Client().Revoke(ctx, old); err != nil {
		t.Fatal(err)
	}
	waitFor(t, 10*time.Second, func() bool {
		_, ok, err := r.Agent(ctx, "epsilon")
		return err == nil && ok && s.LeaseID() != old
	}, "agent not re-registered under a new lease")
	ttl, err := r.Client().TimeToLive(ctx, s.LeaseID())
	if err != nil || ttl.TTL <= 0 {
		t.Fatalf("new lease TTL = %+v, %v", ttl, err)
	}
	if ttl, _ := r.Client().TimeToLive(ctx, old); ttl != nil && ttl.TTL > 0 {
		t.Fatalf("old lease still alive: %+v", ttl)
	}
}

func testCASPhase(t *testing.T, eps []string) {
	ctx := ctxT(t, 20*time.Second)
	r := connect(t, eps)
	cur, err := r.Phase(ctx)
	if err != nil || cur.Phase != registry.PhasePrimary || cur.Epoch != 0 {
		t.Fatalf("initial phase = %+v, %v; want primary at epoch 0", cur, err)
	}
	steps := []registry.PhaseState{
		{Phase: registry.PhaseAlternate, Reason: "drift 72", Agent: "alpha", Auto: true, Who: "monitor"},
		{Phase: registry.PhaseContingency, Reason: "backup anomalous", Who: "sec-1", Role: "security"},
		{Phase: registry.PhaseEmergency, Reason: "exfiltration", Who: "ciso", Role: "ciso"},
		{Phase: registry.PhasePrimary, Reason: "review accepted", Who: "ciso", Role: "ciso"},
	}
	for i, next := range steps {
		next.Epoch = cur.Epoch + 1
		must(t, r.CASPhase(ctx, cur, next))
		if err := r.CASPhase(ctx, cur, next); !errors.Is(err, registry.ErrConflict) {
			t.Fatalf("step %d replayed with a stale epoch: %v, want ErrConflict", i, err)
		}
		got, err := r.Phase(ctx)
		must(t, err)
		if got.Phase != next.Phase || got.Epoch != next.Epoch || got.Since.IsZero() || got.Agent != next.Agent {
			t.Fatalf("phase after step %d = %+v, want %+v", i, got, next)
		}
		cur = got
	}
	if err := r.CASPhase(ctx, cur, registry.PhaseState{Phase: registry.PhaseAlternate, Epoch: cur.Epoch + 2}); !errors.Is(err, registry.ErrInvalid) {
		t.Fatalf("epoch skip: %v, want ErrInvalid", err)
	}
	hist, err := r.PhaseHistory(ctx)
	must(t, err)
	if len(hist) != len(steps) {
		t.Fatalf("history has %d records, want %d", len(hist), len(steps))
	}
	for i, h := range hist {
		if h.Epoch != uint64(i+1) || h.Phase != steps[i].Phase || h.Reason != steps[i].Reason {
			t.Fatalf("history[%d] = %+v, want epoch %d %s", i, h, i+1, steps[i].Phase)
		}
	}
	review := registry.Review{RootCause: "prompt injection via RAG", Remediation: "source pinned", Approver: "ciso", BaselinesUpdated: true}
	must(t, r.PutReview(ctx, 3, review))
	if err := r.PutReview(ctx, 3, review); !errors.Is(err, registry.ErrConflict) {
		t.Fatalf("second review for epoch 3: %v, want ErrConflict", err)
	}
	if got, ok, err := r.Review(ctx, 3); err != nil || !ok || got.RootCause != review.RootCause || got.RecordedAt.IsZero() {
		t.Fatalf("Review(3) = %+v, %v, %v", got, ok, err)
	}
}

// testCASPhaseConcurrent: 8 writers race for each epoch; exactly one
// wins each round and the others get ErrConflict.
func testCASPhaseConcurrent(t *testing.T, eps []string) {
	const writers, rounds = 8, 4
	ctx := ctxT(t, 30*time.Second)
	r := connect(t, eps)
	for round := 1; round <= rounds; round++ {
		cur, err := r.Phase(ctx)
		must(t, err)
		var (
			wg       sync.WaitGroup
			mu       sync.Mutex
			wins     int
			failures []error
			start    = make(chan struct{})
		)
		for w := range writers {
			wg.Go(func() {
				next := registry.PhaseState{Phase: registry.PhaseAlternate, Epoch: cur.Epoch + 1, Who: "w" + strconv.Itoa(w)}
				<-start
				err := r.CASPhase(ctx, cur, next)
				mu.Lock()
				defer mu.Unlock()
				if err == nil {
					wins++
				} else if !errors.Is(err, registry.ErrConflict) {
					failures = append(failures, err)
				}
			})
		}
		close(start)
		wg.Wait()
		if wins != 1 || len(failures) != 0 {
			t.Fatalf("round %d: %d winners, unexpected errors %v; want exactly 1 winner, the rest ErrConflict", round, wins, failures)
		}
	}
	hist, err := r.PhaseHistory(ctx)
	must(t, err)
	if len(hist) != rounds {
		t.Fatalf("history has %d records after %d rounds", len(hist), rounds)
	}
}

func testWatchPhase(t *testing.T, eps []string) {
	ctx := ctxT(t, 20*time.Second)
	r := connect(t, eps)
	var (
		mu  sync.Mutex
		got []registry.PhaseState
	)
	must(t, r.WatchPhase(ctx, func(s registry.PhaseState) {
		mu.Lock()
		got = append(got, s)
		mu.Unlock()
	}))
	seen := func() []registry.PhaseState {
		mu.Lock()
		defer mu.Unlock()
		return append([]registry.PhaseState(nil), got...)
	}
	if s := seen(); len(s) != 1 || s[0].Epoch != 0 || s[0].Phase != registry.PhasePrimary {
		t.Fatalf("initial delivery = %+v, want primary at epoch 0", s)
	}
	phases := []registry.Phase{registry.PhaseAlternate, registry.PhaseContingency, registry.PhaseEmergency, registry.PhasePrimary, registry.PhaseAlternate}
	cur := registry.PhaseState{Phase: registry.PhasePrimary}
	for _, p := range phases {
		next := registry.PhaseState{Phase: p, Epoch: cur.Epoch + 1}
		must(t, r.CASPhase(ctx, cur, next))
		cur = next
	}
	waitFor(t, time.Second, func() bool { return len(seen()) == len(phases)+1 }, "watch saw %d of %d states", len(seen()), len(phases)+1)
	for i, s := range seen() {
		if s.Epoch != uint64(i) || (i > 0 && s.Phase != phases[i-1]) {
			t.Fatalf("delivery %d = %+v, want epoch %d in order", i, s, i)
		}
	}
}
