package policy

import (
	"fmt"
	"slices"
)

// Known values of the enumerated Action fields; anything else is out of
// scope and blocked.
var (
	effects      = []string{"read", "write", "delete", "execute", "external"}
	targets      = []string{"internal", "external"}
	dataClasses  = []string{"", "public", "internal", "confidential", "restricted"}
	phases       = []string{PhasePrimary, PhaseAlternate, PhaseContingency, PhaseEmergency}
	judgeVerdict = []string{"", "approve", "flag", "block"}
)

// Classify decides one action (EC-2.1) and says why: the reason names the
// rule ("rule \"high-value\": ...") or the built-in check ("default
// \"first-use\": ...") that decided.
//
// The order is:
//
//  1. Hard blocks, which no rule can lift: an effect, target, data class,
//     phase or judge verdict outside the known values (out of scope);
//     PACE Emergency; an open circuit breaker; a judge block.
//  2. Floors, which no rule can lower: PACE Contingency escalates every
//     action; PACE Alternate and Tier 1 escalate every action that is not
//     a read; a judge flag and cap usage above one half escalate.
//  3. The rules in order; the first that matches decides. A rule that
//     fails to evaluate blocks (fail closed).
//  4. Without a matching rule, the MASO defaults: external targets or
//     effects, deletes and irreversible changes escalate; the first use
//     of a tool that changes anything escalates; reads, and reversible
//     internal changes, run automatically.
//
// The result is the more restrictive of the floor and the rule or
// default; on a tie the floor's reason is given.
func (p *Policy) Classify(a Action) (Decision, string) {
	if why, blocked := hardBlock(&a); blocked {
		return Block, why
	}
	floor, floorWhy := floorOf(&a)
	d, why := p.decide(&a)
	if floor.rank() >= d.rank() && floor != Auto {
		return floor, floorWhy
	}
	return d, why
}

func dflt(name, text string) string { return fmt.Sprintf("default %q: %s", name, text) }

// hardBlock returns the reason an action is blocked regardless of rules.
func hardBlock(a *Action) (string, bool) {
	for _, c := range []struct {
		field, v string
		known    []string
	}{
		{"effect", a.Effect, effects},
		{"target", a.Target, targets},
		{"data class", a.DataClass, dataClasses},
		{"phase", a.phase(), phases},
		{"judge verdict", a.JudgeVerdict, judgeVerdict},
	} {
		if !slices.Contains(c.known, c.v) {
			return dflt("out-of-scope", fmt.Sprintf("%s %q is not a known value", c.field, c.v)), true
		}
	}
	switch {
	case a.phase() == PhaseEmergency:
		return dflt("phase-emergency", "PACE Emergency: every action is blocked"), true
	case a.BreakerOpen:
		return dflt("breaker-open", fmt.Sprintf("the circuit breaker of %q is open (EC-2.4)", a.Agent)), true
	case a.JudgeVerdict == "block":
		return dflt("judge-block", "the judge blocked this action (EC-2.5)"), true
	}
	return "", false
}

// floorOf is the least restrictive decision the action may get.
func floorOf(a *Action) (Decision, string) {
	write := a.Effect != "read"
	switch {
	case a.phase() == PhaseContingency:
		return Escalate, dflt("phase-contingency", "PACE Contingency: every action needs a human")
	case a.phase() == PhaseAlternate && write:
		return Escalate, dflt("phase-alternate", "PACE Alternate: every change needs a human")
	case a.Tier <= 1 && write:
		return Escalate, dflt("tier-1", "Tier 1: every change needs a human (EC-1.1)")
	case a.JudgeVerdict == "flag":
		return Escalate, dflt("judge-flag", "the judge flagged this action")
	case a.CapFraction > 0.5:
		return Escalate, dflt("cap-fraction", fmt.Sprintf("this call takes a blast-radius cap to %.0f%% (over 50%%, EC-2.3)", a.CapFraction*100))
	}
	return Auto, ""
}

// decide applies the rules, then the defaults.
func (p *Policy) decide(a *Action) (Decision, string) {
	act := activation{a}
	for i := range p.rules {
		r := &p.rules[i]
		out, _, err := r.prg.Eval(act)
		if err != nil {
			return Block, fmt.Sprintf("rule %q: evaluation failed, blocked: %v", r.Name, err)
		}
		if match, _ := out.Value().(bool); match {
			return r.Decision, r.reason()
		}
	}
	return defaults(a)
}

func (r *compiled) reason() string {
	if r.Reason == "" {
		return fmt.Sprintf("rule %q matched", r.Name)
	}
	return fmt.Sprintf("rule %q: %s", r.Name, r.Reason)
}

// defaults are the MASO action-classification defaults for an action no
// rule decided.
func defaults(a *Action) (Decision, string) {
	switch {
	case a.Target == "external" || a.Effect == "external":
		return Escalate, dflt("external", "an external party is involved")
	case a.Effect == "delete":
		return Escalate, dflt("delete", "deletes are irreversible")
	case a.Effect == "read":
		return Auto, dflt("read", "in-scope read (EC-1.4)")
	case !a.Reversible:
		return Escalate, dflt("irreversible", fmt.Sprintf("irreversible %s", a.Effect))
	case a.FirstUse:
		return Escalate, dflt("first-use", fmt.Sprintf("first use of %q by %q: no baseline yet", a.Tool, a.Agent))
	}
	return Auto, dflt("reversible-internal", fmt.Sprintf("reversible internal %s", a.Effect))
}
