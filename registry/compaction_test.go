package registry

import (
	"context"
	"log/slog"
	"sync"
	"testing"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"

	"github.com/maso-runtime/maso/identity"
)

// embeddedRegistry starts an in-process etcd for the package's internal
// tests (the etcdtest harness imports this package, so it cannot be used
// here).
func embeddedRegistry(t *testing.T) *Registry {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 40*time.Second)
	defer cancel()
	quiet := slog.New(slog.DiscardHandler)
	e, err := StartEmbedded(ctx, t.TempDir(), quiet)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = e.Close() })
	r, err := Connect(ctx, Config{Endpoints: e.Endpoints(), Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = r.Close() })
	return r
}

// TestWatchReloadsAfterCompaction: a watch whose resume revision was
// compacted away reloads in full and carries on.
func TestWatchReloadsAfterCompaction(t *testing.T) {
	t.Parallel()
	r := embeddedRegistry(t)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	for _, s := range []string{"01", "02", "03"} {
		if err := r.Revoke(ctx, Revocation{Serial: s}); err != nil {
			t.Fatal(err)
		}
	}
	resp, err := r.cli.Get(ctx, r.key(keyPhase))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.cli.Compact(ctx, resp.Header.Revision); err != nil {
		t.Fatal(err)
	}
	set := identity.NewMemoryRevocations()
	var (
		mu    sync.Mutex
		loads int
	)
	prefix := r.key(dirRevocations)
	err = r.follow(ctx, follower{
		name: "test", key: prefix, opts: []clientv3.OpOption{clientv3.WithPrefix()},
		load: func(ctx context.Context) (int64, error) {
			mu.Lock()
			loads++
			first := loads == 1
			mu.Unlock()
			if first {
				return 1, nil // as if the view were stuck at revision 1
			}
			kvs, rev, err := r.getPrefix(ctx, "load", dirRevocations)
			for _, kv := range kvs {
				set.Revoke(kv.key[len(prefix):])
			}
			return rev, err
		},
		apply: func(_ context.Context, evs []*clientv3.Event) error {
			for _, ev := range evs {
				set.Revoke(string(ev.Kv.Key[len(prefix):]))
			}
			return nil
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	waitUntil(t, func() bool { return set.IsRevoked("03") }, "no reload after compaction")
	if err := r.Revoke(ctx, Revocation{Serial: "04"}); err != nil {
		t.Fatal(err)
	}
	waitUntil(t, func() bool { return set.IsRevoked("04") }, "watch did not resume after the reload")
	mu.Lock()
	defer mu.Unlock()
	if loads != 2 {
		t.Fatalf("%d loads, want 2 (initial, after compaction)", loads)
	}
}

// TestWatchPhaseReplaysGap: transitions the watcher missed are replayed
// from the history, in order, before the current one.
func TestWatchPhaseReplaysGap(t *testing.T) {
	t.Parallel()
	r := embeddedRegistry(t)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	cur := initialPhase()
	for _, p := range []Phase{PhaseAlternate, PhaseContingency, PhaseEmergency, PhasePrimary} {
		next := PhaseState{Phase: p, Epoch: cur.Epoch + 1}
		if err := r.CASPhase(ctx, cur, next); err != nil {
			t.Fatal(err)
		}
		cur = next
	}
	var got []uint64
	pf := &phaseFollower{r: r, fn: func(s PhaseState) { got = append(got, s.Epoch) }, last: 1, delivered: true}
	if _, err := pf.load(ctx); err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 || got[0] != 2 || got[1] != 3 || got[2] != 4 {
		t.Fatalf("delivered epochs %v, want [2 3 4]", got)
	}
	if _, err := pf.load(ctx); err != nil || len(got) != 3 {
		t.Fatalf("reload delivered again: %v, %v", got, err)
	}
}

func waitUntil(t *testing.T, cond func() bool, msg string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal(msg)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
