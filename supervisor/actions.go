package supervisor

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/maso-runtime/maso/actors"
	"github.com/maso-runtime/maso/registry"
)

// SettingDriftFactor is the registry setting that scales drift thresholds:
// 1 normally, 0.5 in Alternate ("thresholds lowered by 50%").
const SettingDriftFactor = "drift_threshold_factor"

// apply runs the response actions of ps on this node, once per epoch.
func (c *Controller) apply(ctx context.Context, ps registry.PhaseState) {
	c.applyMu.Lock()
	defer c.applyMu.Unlock()
	if ps.Epoch != 0 && ps.Epoch <= c.applied {
		return
	}
	c.applied = ps.Epoch
	c.log.Info("applying PACE phase", "phase", ps.Phase, "epoch", ps.Epoch, "agent", ps.Agent, "reason", ps.Reason)
	switch ps.Phase {
	case Primary:
		c.applyPrimary(ctx)
	case Alternate:
		c.applyAlternate(ctx, ps)
	case Contingency:
		c.applyContingency(ctx, ps)
	case Emergency:
		c.applyEmergency(ctx, ps)
	}
}

// applyPrimary: full operations. Agents stopped by an Emergency come back
// with fresh credentials; agents isolated by Alternate resume and backups
// stand down.
func (c *Controller) applyPrimary(ctx context.Context) {
	sys := c.cfg.System
	c.restrict(actors.Restrictions{Phase: string(Primary)})
	if !sys.Running() {
		if err := sys.StartAgents(ctx); err != nil {
			c.log.Error("restarting agents failed", "err", err)
		}
	}
	for _, a := range sys.Agents() {
		if a.BackupOf == "" {
			if a.State == actors.StateIsolated {
				_ = sys.SetState(ctx, a.Name, actors.StateActive, "primary: remediated", "pace", "EC-3.2")
			}
			continue
		}
		_ = sys.Route(ctx, a.BackupOf, "")
		if a.State == actors.StateBackup {
			_ = sys.SetState(ctx, a.Name, actors.StateStopped, "primary: backup stood down", "pace", "EC-3.2")
		}
	}
}

// applyAlternate: isolate the anomalous agent (off the bus, tools
// suspended), activate its backup read-only and route its role to it, and
// make every write wait for a human.
func (c *Controller) applyAlternate(ctx context.Context, ps registry.PhaseState) {
	sys := c.cfg.System
	c.restrict(actors.Restrictions{Phase: string(Alternate), WritesNeedApproval: true})
	if ps.Agent == "" || sys.StateOf(ps.Agent) == "" {
		return // the anomalous agent lives on another node
	}
	_ = sys.SetState(ctx, ps.Agent, actors.StateIsolated, "alternate: "+ps.Reason, "pace", "EC-3.2")
	if b := sys.BackupOf(ps.Agent); b != "" {
		_ = sys.SetState(ctx, b, actors.StateBackup, "alternate: standing in for "+ps.Agent, "pace", "EC-3.2")
		if err := sys.Route(ctx, ps.Agent, b); err != nil {
			c.log.Error("routing to the backup failed", "agent", ps.Agent, "backup", b, "err", err)
		}
	}
}

// applyContingency: orchestration and inter-agent traffic suspended except
// for the one designated agent, whose every action needs approval; every
// agent's state and memory is captured.
func (c *Controller) applyContingency(ctx context.Context, ps registry.PhaseState) {
	c.restrict(actors.Restrictions{Phase: string(Contingency), Contingency: true, OnlyAgent: c.cfg.PACE.ContingencyAgent})
	c.snapshot(ctx, ps)
}

// applyEmergency: stop every agent, refuse everything, revoke this node's
// credentials, capture snapshots and run the compensating actions.
func (c *Controller) applyEmergency(ctx context.Context, ps registry.PhaseState) {
	sys := c.cfg.System
	c.restrict(actors.Restrictions{Phase: string(Emergency), Halted: true})
	snaps := sys.Snapshot() // before the stop, with the states agents had
	if _, err := sys.StopAgents(ctx, "emergency: "+ps.Reason); err != nil {
		c.log.Error("stopping agents failed", "err", err)
	}
	c.writeSnapshots(ctx, ps, snaps)
	c.revokeAll(ctx, ps)
	c.comps.run(ctx, c)
}

// revokeAll revokes every credential of this node's agents, in etcd (so
// every node refuses them) and at the issuer.
func (c *Controller) revokeAll(ctx context.Context, ps registry.PhaseState) {
	for _, a := range c.cfg.System.Agents() {
		if a.CertSerial == "" {
			continue
		}
		if err := c.revoke(ctx, a.Name, a.CertSerial, "emergency: "+ps.Reason, ps.Who); err != nil {
			c.log.Error("revocation failed", "agent", a.Name, "err", err)
		}
	}
}

// afterCommit runs the cluster-wide actions, once, on the node that made the
// transition: the drift-threshold setting and the security webhook.
func (c *Controller) afterCommit(ctx context.Context, from, to registry.PhaseState) {
	factor := 1.0
	if to.Phase == Alternate {
		factor = 0.5
	}
	if err := c.cfg.Registry.PutSetting(ctx, SettingDriftFactor, factor); err != nil {
		c.log.Error("drift threshold setting failed", "err", err)
	}
	c.notify(from, to)
}

// ProposeAlternate is the automated P→A (a breaker tripped, later drift or
// judge blocks). It runs in the background; in any phase but Primary it only
// isolates the agent on this node.
func (c *Controller) ProposeAlternate(agent, reason string) {
	c.wg.Add(1)
	go func() {
		defer c.wg.Done()
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_, err := c.Transition(ctx, Request{To: Alternate, Reason: fmt.Sprintf("%s: %s", agent, reason), Agent: agent},
			Actor{Name: "runtime", Auto: true})
		if err == nil {
			return
		}
		if !errors.Is(err, ErrForbidden) && !errors.Is(err, ErrBadTransition) {
			c.log.Error("automated P→A failed", "agent", agent, "err", err)
		}
		if c.cfg.System.StateOf(agent).Working() {
			_ = c.cfg.System.SetState(ctx, agent, actors.StateIsolated, "isolated while in "+string(c.Current().Phase)+": "+reason, "pace", "EC-3.2")
		}
	}()
}

// tickLoop checks the 48-hour rule and the control plane's health.
func (c *Controller) tickLoop(ctx context.Context) {
	defer c.wg.Done()
	t := time.NewTicker(c.cfg.Tick)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			c.checkHealth(ctx)
			if !c.cfg.System.Restrictions().Degraded {
				c.retryPendingKill(ctx)
			}
			c.checkAlternateTimeout(ctx)
		}
	}
}

// checkAlternateTimeout moves Alternate to Contingency once it has lasted
// AlternateTimeout unresolved. Every node may try; the CAS lets one win.
func (c *Controller) checkAlternateTimeout(ctx context.Context) {
	cur := c.Current()
	limit := c.cfg.PACE.AlternateTimeout.Duration
	if cur.Phase != Alternate || c.cfg.Clock().Sub(cur.Since) < limit {
		return
	}
	_, err := c.Transition(ctx, Request{To: Contingency, Reason: fmt.Sprintf("alternate unresolved for %s", limit)},
		Actor{Name: "runtime", Auto: true})
	if err != nil && !errors.Is(err, registry.ErrConflict) && !errors.Is(err, ErrForbidden) {
		c.log.Warn("automatic A→C failed", "err", err)
	}
}

// checkHealth marks the node degraded while etcd cannot confirm writes:
// nothing is auto-approved then.
func (c *Controller) checkHealth(ctx context.Context) {
	err := c.cfg.Registry.Healthy(ctx)
	r := c.cfg.System.Restrictions()
	if (err != nil) != r.Degraded {
		r.Degraded = err != nil
		c.cfg.System.Restrict(r)
		if err != nil {
			c.log.Warn("control plane unavailable: failing safe", "err", err)
		} else {
			c.log.Info("control plane available again")
		}
	}
}

// restrict sets the phase's restrictions, keeping the health flag.
func (c *Controller) restrict(r actors.Restrictions) {
	r.Degraded = c.cfg.System.Restrictions().Degraded
	c.cfg.System.Restrict(r)
}
