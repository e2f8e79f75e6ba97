package registry

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"
)

// Backoff bounds for re-establishing a watch after an error.
const (
	watchBackoffMin = 100 * time.Millisecond
	watchBackoffMax = 5 * time.Second
)

// errCompacted means the watch's start revision is gone; the view must be
// reloaded in full.
var errCompacted = errors.New("registry: watch revision compacted")

// errWatchClosed means the watch channel closed without saying why (the
// client reconnects on its own; this is the rare case it gives up).
var errWatchClosed = errors.New("registry: watch channel closed")

// follower keeps an in-memory view in step with one key or key range.
type follower struct {
	name string
	key  string
	opts []clientv3.OpOption
	// load rebuilds the view from scratch and returns the store revision
	// it reflects.
	load func(ctx context.Context) (int64, error)
	// apply folds a batch of events into the view. It must be idempotent:
	// after an error the batch is delivered again.
	apply func(ctx context.Context, evs []*clientv3.Event) error
}

// follow loads f once (returning its error) and then keeps it current in
// one goroutine until ctx ends or the client closes.
func (r *Registry) follow(ctx context.Context, f follower) error {
	rev, err := f.load(ctx)
	if err != nil {
		return err
	}
	go r.followLoop(ctx, f, rev+1)
	return nil
}

func (r *Registry) followLoop(ctx context.Context, f follower, next int64) {
	log := r.log.With("watch", f.name)
	bo := newBackoff()
	for r.alive(ctx) {
		started := time.Now()
		var err error
		next, err = r.watchFrom(ctx, f.key, f.opts, next, func(evs []*clientv3.Event) error {
			return f.apply(ctx, evs)
		})
		if !r.alive(ctx) {
			return
		}
		if time.Since(started) > 2*watchBackoffMax {
			bo.reset() // the watch was healthy for a while: start over
		}
		if errors.Is(err, errCompacted) {
			log.Warn("watch revision compacted; reloading", "from", next)
			next, err = r.reload(ctx, f, bo)
			if err != nil {
				return
			}
			continue
		}
		log.Warn("watch interrupted; resuming", "from", next, "err", err)
		if !sleepCtx(ctx, bo.next()) {
			return
		}
	}
}

// reload retries f.load with backoff until it succeeds or ctx ends, and
// returns the revision to resume from.
func (r *Registry) reload(ctx context.Context, f follower, bo *backoffState) (int64, error) {
	for {
		rev, err := f.load(ctx)
		if err == nil {
			return rev + 1, nil
		}
		if !r.alive(ctx) {
			return 0, err
		}
		r.log.Warn("watch reload failed", "watch", f.name, "err", err)
		if !sleepCtx(ctx, bo.next()) {
			return 0, ctx.Err()
		}
	}
}

// alive reports whether a watch loop should keep going.
func (r *Registry) alive(ctx context.Context) bool {
	return ctx.Err() == nil && r.cli.Ctx().Err() == nil
}

// watchFrom watches key from revision next, handing each batch of events
// to fn, until the watch fails, fn fails, or ctx ends. It returns the
// revision to resume from. The watch requires a leader, so a member cut
// off from its quorum ends it and the next attempt lands elsewhere.
func (r *Registry) watchFrom(ctx context.Context, key string, opts []clientv3.OpOption, next int64,
	fn func([]*clientv3.Event) error) (int64, error) {
	wctx, cancel := context.WithCancel(clientv3.WithRequireLeader(ctx))
	defer cancel()
	wopts := append(append([]clientv3.OpOption(nil), opts...), clientv3.WithRev(next), clientv3.WithProgressNotify())
	for resp := range r.cli.Watch(wctx, key, wopts...) {
		if resp.CompactRevision != 0 {
			return next, fmt.Errorf("%w: compacted at %d", errCompacted, resp.CompactRevision)
		}
		if err := resp.Err(); err != nil {
			return next, err
		}
		if resp.IsProgressNotify() {
			next = max(next, resp.Header.Revision+1)
			continue
		}
		if len(resp.Events) == 0 {
			continue
		}
		if err := fn(resp.Events); err != nil {
			return next, err
		}
		next = resp.Events[len(resp.Events)-1].Kv.ModRevision + 1
	}
	if err := ctx.Err(); err != nil {
		return next, err
	}
	return next, errWatchClosed
}

// backoffState is a capped exponential backoff with jitter.
type backoffState struct {
	cur time.Duration
}

func newBackoff() *backoffState { return &backoffState{} }

func (b *backoffState) reset() { b.cur = 0 }

// next returns the next wait: doubling from watchBackoffMin up to
// watchBackoffMax, with up to 20% jitter.
func (b *backoffState) next() time.Duration {
	switch {
	case b.cur == 0:
		b.cur = watchBackoffMin
	case b.cur < watchBackoffMax:
		b.cur = min(2*b.cur, watchBackoffMax)
	}
	return b.cur + time.Duration(rand.Int64N(int64(b.cur)/5+1))
}

// sleepCtx waits d, or less if ctx ends; it reports whether ctx is
// still live.
func sleepCtx(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}
