package actors

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/maso-runtime/maso/policy"
	"github.com/maso-runtime/maso/tools"
)

// usage is what one call of the tool adds to the blast-radius counters:
// a record per change, the amount it moves, a call per external target.
func (c *gateCall) usage() tools.CapUsage {
	var u tools.CapUsage
	switch c.m.Effect {
	case "write", "delete", "execute", "external":
		u.Records = 1
	}
	if c.m.Target == "external" {
		u.ExternalCalls = 1
	}
	u.Money = c.amount()
	return u
}

// amount reads the manifest's amount argument (0 when there is none).
func (c *gateCall) amount() float64 {
	if c.m.AmountArg == "" {
		return 0
	}
	var args map[string]json.RawMessage
	if json.Unmarshal(c.args, &args) != nil {
		return 0
	}
	var f float64
	if json.Unmarshal(args[c.m.AmountArg], &f) != nil {
		return 0
	}
	return f
}

func (c *gateCall) taskKey() string {
	if c.task.ID != "" {
		return c.task.ID
	}
	return "(no task) " + c.agent
}

// classify applies the phase's hard limits, measures the call against the
// caps, asks the classification policy, and takes an escalation to a human.
func (c *gateCall) classify(ctx context.Context) Verdict {
	g := c.g
	r := g.sys.Restrictions()
	switch {
	case r.Halted:
		return Verdict{Action: Block, Controls: []string{"PA-2.6"}, Reason: "emergency: all tool access is revoked"}
	case r.Contingency && c.agent != r.OnlyAgent:
		return Verdict{Action: Block, Controls: []string{"EC-3.2"}, Reason: fmt.Sprintf("contingency: only %q works", r.OnlyAgent)}
	}
	u := c.usage()
	frac, err := g.projected(c.agent, c.taskKey(), u)
	if err != nil {
		g.proposeAlternate(c.agent, err.Error())
		return Verdict{Action: Block, Controls: []string{"EC-2.3"}, Reason: err.Error()}
	}
	act := c.action(r, frac)
	act.JudgeVerdict = c.judgeAction(ctx)
	d, reason := g.policy.Classify(act)
	if d == policy.Auto && r.Degraded && c.m.Effect != "read" {
		d, reason = policy.Escalate, "control plane degraded: nothing is auto-approved"
	}
	v := Verdict{Action: Pass, Controls: []string{"EC-2.1"}, Reason: "auto: " + reason}
	switch d {
	case policy.Block:
		return Verdict{Action: Block, Controls: []string{"EC-2.1"}, Reason: reason}
	case policy.Escalate:
		v = Verdict{Action: Escalate, Controls: []string{"EC-2.1", "EC-1.1"}, Reason: reason}
		g.record(ctx, withVerdict(c.ev, v, "escalate"))
		if v = g.approve(ctx, c.agent, c.task, c.name, c.m, c.args, v); v.Action != Pass {
			return v
		}
	}
	if _, err := g.blast.Reserve(c.agent, c.taskKey(), u); err != nil {
		g.proposeAlternate(c.agent, err.Error())
		return Verdict{Action: Block, Controls: []string{"EC-2.3"}, Reason: err.Error()}
	}
	return v
}

// action describes the call for the classification rules.
func (c *gateCall) action(r Restrictions, frac float64) policy.Action {
	g := c.g
	st := g.sys.StateOf(c.agent)
	return policy.Action{Agent: c.agent, Tool: c.name, Effect: string(c.m.Effect), Target: c.m.Target,
		DataClass: c.m.DataClass, Amount: c.amount(), Reversible: c.m.Reversible,
		RecentBlocks: g.recentBlocks(c.agent), BreakerOpen: st == StatePaused,
		FirstUse: g.firstUse(c.agent, c.name), CapFraction: frac, Phase: phaseName(r), Tier: g.tier}
}

func phaseName(r Restrictions) string {
	if r.Phase == "" {
		return "primary"
	}
	return r.Phase
}

// projected is the highest used/limit fraction of any cap after this call,
// without recording it; an error when the call would exceed a cap.
func (g *toolGate) projected(agent, task string, u tools.CapUsage) (float64, error) {
	inTask, inWindow := g.blast.Usage(agent, task)
	l := g.sys.cfg.Limits
	frac := 0.0
	for _, p := range []struct {
		scope string
		limit tools.Caps
		used  tools.CapUsage
	}{{"per task", caps(l.PerTask), inTask}, {"per agent per " + l.Window.Duration.String(), caps(l.PerAgent), inWindow}} {
		for _, m := range []struct {
			name        string
			limit, have float64
		}{
			{"records", float64(p.limit.Records), float64(p.used.Records + u.Records)},
			{"money", p.limit.Money, p.used.Money + u.Money},
			{"external_calls", float64(p.limit.ExternalCalls), float64(p.used.ExternalCalls + u.ExternalCalls)},
		} {
			if m.limit <= 0 {
				continue
			}
			if m.have > m.limit {
				return m.have / m.limit, fmt.Errorf("%w: %s cap on %s is %g, this call would bring it to %g", tools.ErrCapExceeded, p.scope, m.name, m.limit, m.have)
			}
			frac = max(frac, m.have/m.limit)
		}
	}
	return frac, nil
}

// proposeAlternate: exceeding a blast-radius cap proposes PACE P→A (EC-2.3).
func (g *toolGate) proposeAlternate(agent, reason string) {
	if g.sys.deps.OnTrip != nil {
		g.sys.deps.OnTrip(agent, "blast-radius cap exceeded: "+reason)
	}
}

// recentBlocks is the agent's failure count in the breaker window, when the
// breaker can tell.
func (g *toolGate) recentBlocks(agent string) int {
	if b, ok := g.sys.deps.Breaker.(interface {
		Count(string, time.Time) int
	}); ok {
		return b.Count(agent, g.sys.clock())
	}
	return 0
}
