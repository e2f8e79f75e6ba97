package registry

import (
	"context"
	"fmt"

	"go.etcd.io/etcd/api/v3/mvccpb"
	clientv3 "go.etcd.io/etcd/client/v3"
)

// WatchPhase calls fn with the current phase, then with every later
// transition, in epoch order and each exactly once, until ctx ends. The
// first call happens before WatchPhase returns, the others on the
// watch's goroutine; calls never overlap. Transitions missed while the watch was down (or
// compacted away) are replayed from the phase history. It returns once
// the initial value has been delivered.
func (r *Registry) WatchPhase(ctx context.Context, fn func(PhaseState)) error {
	pf := &phaseFollower{r: r, fn: fn}
	return r.follow(ctx, follower{
		name:  "phase",
		key:   r.key(keyPhase),
		load:  pf.load,
		apply: pf.apply,
	})
}

// phaseFollower delivers phase states to fn in epoch order.
type phaseFollower struct {
	r         *Registry
	fn        func(PhaseState)
	last      uint64
	delivered bool
}

func (p *phaseFollower) load(ctx context.Context) (int64, error) {
	octx, cancel := p.r.opCtx(ctx)
	defer cancel()
	resp, err := p.r.cli.Get(octx, p.r.key(keyPhase))
	if err != nil {
		return 0, p.r.fail(ctx, octx, "read phase", err)
	}
	st := initialPhase()
	if len(resp.Kvs) > 0 {
		if err := decodeJSON(string(resp.Kvs[0].Key), resp.Kvs[0].Value, &st); err != nil {
			return 0, err
		}
	}
	if err := p.deliver(ctx, st); err != nil {
		return 0, err
	}
	return resp.Header.Revision, nil
}

func (p *phaseFollower) apply(ctx context.Context, evs []*clientv3.Event) error {
	for _, ev := range evs {
		if ev.Type != mvccpb.PUT {
			p.r.log.Warn("phase key deleted; keeping the last phase", "epoch", p.last)
			continue
		}
		var st PhaseState
		if err := decodeJSON(string(ev.Kv.Key), ev.Kv.Value, &st); err != nil {
			p.r.log.Error("undecodable phase record skipped", "err", err)
			continue
		}
		if err := p.deliver(ctx, st); err != nil {
			return err
		}
	}
	return nil
}

// deliver hands st to fn unless it was already delivered, first
// replaying any epochs between the last delivered one and st.
func (p *phaseFollower) deliver(ctx context.Context, st PhaseState) error {
	if p.delivered && st.Epoch <= p.last {
		return nil
	}
	if p.delivered && st.Epoch > p.last+1 {
		missed, err := p.r.phaseHistoryFrom(ctx, p.last+1, st.Epoch-1)
		if err != nil {
			return fmt.Errorf("replay phase history: %w", err)
		}
		for _, m := range missed {
			if m.Epoch > p.last {
				p.fn(m)
				p.last = m.Epoch
			}
		}
	}
	p.fn(st)
	p.last, p.delivered = st.Epoch, true
	return nil
}
