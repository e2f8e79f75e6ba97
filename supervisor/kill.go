package supervisor

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/maso-runtime/maso/actors"
	"github.com/maso-runtime/maso/audit"
	"github.com/maso-runtime/maso/registry"
)

// KillResult is the answer of the kill switch.
type KillResult struct {
	Phase         registry.Phase `json:"phase"`
	StoppedAgents int            `json:"stopped_agents"`
	ElapsedMS     float64        `json:"elapsed_ms"`
	// Recorded is false when etcd could not record the phase change (quorum
	// lost): this node is stopped all the same, and Warning says so.
	Recorded bool   `json:"recorded"`
	Warning  string `json:"warning,omitempty"`
}

// KillSwitch enters Emergency (CISO). This node halts and stops every agent
// first, before anything that needs etcd, so the switch works while the
// control plane is down and under full load; the result is returned only
// after every agent is stopped. Then the phase change is recorded (every
// other node stops from the watch), credentials are revoked, snapshots kept
// and compensating actions run.
func (c *Controller) KillSwitch(ctx context.Context, reason string, a Actor) (KillResult, error) {
	from := c.Current()
	if err := Authorize(from.Phase, Emergency, a); err != nil && !errors.Is(err, ErrBadTransition) {
		c.refused(ctx, from.Phase, Emergency, a, err)
		return KillResult{}, err
	}
	start := time.Now()
	sys := c.cfg.System
	snaps := sys.Snapshot()
	c.restrict(actors.Restrictions{Phase: string(Emergency), Halted: true})
	stopped, err := sys.StopAgents(ctx, "kill switch: "+reason)
	res := KillResult{Phase: Emergency, StoppedAgents: stopped, ElapsedMS: float64(time.Since(start).Microseconds()) / 1000}
	if err != nil {
		return res, fmt.Errorf("supervisor: kill switch: %w", err)
	}
	c.event(ctx, audit.Event{Type: "pace.killswitch", Verdict: "block", Controls: controlsFor(Emergency), Reason: reason,
		Phase: string(Emergency), Attrs: map[string]string{"who": a.Name, "stopped_agents": fmt.Sprint(stopped),
			"elapsed_ms": fmt.Sprintf("%.3f", res.ElapsedMS)}})
	ps, err := c.recordEmergency(ctx, from, reason, a)
	if err != nil {
		res.Warning = "this node is stopped, but the phase change is not yet recorded in etcd (it is retried until it is): " + err.Error()
		c.log.Error("kill switch: phase not recorded; will retry", "err", err)
		c.pending.Store(&pendingKill{reason: reason, actor: a})
	} else {
		res.Recorded = true
	}
	c.writeSnapshots(ctx, ps, snaps)
	c.revokeAll(ctx, ps)
	c.comps.run(ctx, c)
	return res, nil
}

// recordEmergency commits the phase change and marks its epoch applied here
// (the local actions already ran).
func (c *Controller) recordEmergency(ctx context.Context, from registry.PhaseState, reason string, a Actor) (registry.PhaseState, error) {
	cur, err := c.cfg.Registry.Phase(ctx)
	if err != nil {
		return registry.PhaseState{Phase: Emergency, Reason: reason, Who: a.Name}, err
	}
	if cur.Phase == Emergency {
		return cur, nil
	}
	next := registry.PhaseState{Phase: Emergency, Epoch: cur.Epoch + 1, Since: c.cfg.Clock().UTC(),
		Reason: reason, Who: a.Name, Role: a.Role.String()}
	c.applyMu.Lock()
	c.applied = next.Epoch // the actions ran above; the watch must not run them again
	c.applyMu.Unlock()
	if err := c.cfg.Registry.CASPhase(ctx, cur, next); err != nil {
		c.applyMu.Lock()
		c.applied = cur.Epoch
		c.applyMu.Unlock()
		return next, err
	}
	c.event(ctx, audit.Event{Type: "pace.transition", Verdict: "pass", Controls: controlsFor(Emergency), Reason: reason,
		Phase: string(Emergency), Attrs: map[string]string{"from": string(cur.Phase), "to": string(Emergency),
			"epoch": fmt.Sprint(next.Epoch), "who": a.Name, "role": next.Role}})
	c.afterCommit(ctx, cur, next)
	c.cur.Store(&next)
	_ = from
	return next, nil
}

// pendingKill is a kill switch this node carried out while etcd could not
// record it; the controller records it as soon as etcd answers again, so the
// cluster does not lose the phase change.
type pendingKill struct {
	reason string
	actor  Actor
}

// retryPendingKill records a kill switch that etcd missed.
func (c *Controller) retryPendingKill(ctx context.Context) {
	p := c.pending.Load()
	if p == nil {
		return
	}
	if _, err := c.recordEmergency(ctx, registry.PhaseState{}, p.reason, p.actor); err != nil {
		return
	}
	c.pending.Store(nil)
	c.log.Info("kill switch recorded after etcd recovered")
}

// Recover returns from Emergency to Primary (CISO, with a post-incident
// review). Agents restart with fresh credentials.
func (c *Controller) Recover(ctx context.Context, review registry.Review, a Actor) (registry.PhaseState, error) {
	return c.Transition(ctx, Request{To: Primary, Reason: "recovered: " + review.RootCause, Review: &review}, a)
}
