package policy

import (
	"strings"
	"testing"
)

// base is an in-scope internal read at Tier 2 in Primary.
func base() Action {
	return Action{Agent: "assessor", Tool: "lookup_policy", Effect: "read", Target: "internal",
		DataClass: "internal", Phase: PhasePrimary, Tier: 2}
}

func with(f func(a *Action)) Action {
	a := base()
	f(&a)
	return a
}

func write(a *Action) { a.Tool, a.Effect, a.Reversible = "update_claim", "write", true }

// TestActionClassification is the Tier 2 action classification test
// (EC-T2.1): reads, low-consequence writes, high-consequence writes and
// out-of-scope actions each get the right decision, for the right reason.
func TestActionClassification(t *testing.T) {
	t.Parallel()
	p, err := Compile(DefaultRules())
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		action Action
		want   Decision
		reason string
	}{
		// In-scope reads.
		{"read", base(), Auto, `default "read"`},
		{"read of confidential data", with(func(a *Action) { a.DataClass = "confidential" }), Auto, `default "read"`},
		{"first read", with(func(a *Action) { a.FirstUse = true }), Auto, `default "read"`},
		{"read judge approved", with(func(a *Action) { a.JudgeVerdict = "approve" }), Auto, `default "read"`},
		// Low-consequence writes.
		{"reversible internal write", with(write), Auto, `default "reversible-internal"`},
		{"small amount", with(func(a *Action) { write(a); a.Amount = 49999.99 }), Auto, `default "reversible-internal"`},
		{"reversible internal execute", with(func(a *Action) { a.Effect, a.Reversible = "execute", true }), Auto, `default "reversible-internal"`},
		{"cap at exactly 50%", with(func(a *Action) { write(a); a.CapFraction = 0.5 }), Auto, `default "reversible-internal"`},
		// High-consequence writes.
		{"high value", with(func(a *Action) { write(a); a.Amount = 50000.01 }), Escalate, `rule "high-value": amount above 50,000`},
		{"delete", with(func(a *Action) { a.Effect, a.Reversible = "delete", true }), Escalate, `default "delete"`},
		{"irreversible write", with(func(a *Action) { write(a); a.Reversible = false }), Escalate, `default "irreversible"`},
		{"payment", with(func(a *Action) { a.Effect, a.Amount = "external", 1200 }), Escalate, `default "external"`},
		{"external send", with(func(a *Action) { a.Effect, a.Target = "write", "external"; a.Reversible = true }), Escalate, `default "external"`},
		{"first use of a write", with(func(a *Action) { write(a); a.FirstUse = true }), Escalate, `default "first-use"`},
		{"cap over 50%", with(func(a *Action) { write(a); a.CapFraction = 0.51 }), Escalate, `default "cap-fraction": this call takes a blast-radius cap to 51%`},
		{"judge flag", with(func(a *Action) { a.JudgeVerdict = "flag" }), Escalate, `default "judge-flag"`},
		{"repeat offender", with(func(a *Action) { write(a); a.RecentBlocks = 2 }), Escalate, `rule "repeat-blocks"`},
		// Out of scope and guardrail blocks.
		{"restricted data leaving", with(func(a *Action) { a.DataClass, a.Target, a.Effect = "restricted", "external", "external" }), Block, `rule "restricted-external"`},
		{"unknown target", with(func(a *Action) { a.Target = "partner-bank" }), Block, `default "out-of-scope": target "partner-bank"`},
		{"unknown effect", with(func(a *Action) { a.Effect = "" }), Block, `default "out-of-scope": effect ""`},
		{"unknown data class", with(func(a *Action) { a.DataClass = "secret" }), Block, `default "out-of-scope": data class "secret"`},
		{"unknown phase", with(func(a *Action) { a.Phase = "recovery" }), Block, `default "out-of-scope": phase "recovery"`},
		{"judge block", with(func(a *Action) { a.JudgeVerdict = "block" }), Block, `default "judge-block"`},
		{"breaker open", with(func(a *Action) { a.BreakerOpen = true }), Block, `default "breaker-open": the circuit breaker of "assessor" is open`},
		// PACE phases and tiers.
		{"alternate write", with(func(a *Action) { write(a); a.Phase = PhaseAlternate }), Escalate, `default "phase-alternate"`},
		{"alternate read", with(func(a *Action) { a.Phase = PhaseAlternate }), Auto, `default "read"`},
		{"contingency read", with(func(a *Action) { a.Phase = PhaseContingency }), Escalate, `default "phase-contingency"`},
		{"emergency read", with(func(a *Action) { a.Phase = PhaseEmergency }), Block, `default "phase-emergency"`},
		{"emergency write", with(func(a *Action) { write(a); a.Phase = PhaseEmergency }), Block, `default "phase-emergency"`},
		{"contingency with breaker open", with(func(a *Action) { a.Phase, a.BreakerOpen = PhaseContingency, true }), Block, `default "breaker-open"`},
		{"alternate restricted leaving", with(func(a *Action) {
			a.Phase, a.DataClass, a.Target = PhaseAlternate, "restricted", "external"
		}), Block, `rule "restricted-external"`},
		{"empty phase is primary", with(func(a *Action) { write(a); a.Phase = "" }), Auto, `default "reversible-internal"`},
		{"tier 1 write", with(func(a *Action) { write(a); a.Tier = 1 }), Escalate, `default "tier-1"`},
		{"tier 1 read", with(func(a *Action) { a.Tier = 1 }), Auto, `default "read"`},
		{"tier unset counts as 1", with(func(a *Action) { write(a); a.Tier = 0 }), Escalate, `default "tier-1"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			d, why := p.Classify(tt.action)
			if d != tt.want || !strings.Contains(why, tt.reason) {
				t.Fatalf("Classify = %s, %q; want %s, %q", d, why, tt.want, tt.reason)
			}
		})
	}
}

func TestRulesLoosenDefaultsButNotFloors(t *testing.T) {
	t.Parallel()
	p, err := Compile([]Rule{
		{Name: "notify", When: `tool == "notify_claimant" && data_class == "public"`, Decision: Auto, Reason: "pre-approved template"},
		{Name: "anything-goes", When: `tool == "yolo"`, Decision: Auto},
	})
	if err != nil {
		t.Fatal(err)
	}
	notify := Action{Agent: "comms", Tool: "notify_claimant", Effect: "external", Target: "external", DataClass: "public", Tier: 2}
	if d, why := p.Classify(notify); d != Auto || why != `rule "notify": pre-approved template` {
		t.Fatalf("rule did not loosen the default: %s %q", d, why)
	}
	notify.Phase = PhaseAlternate
	if d, why := p.Classify(notify); d != Escalate || !strings.Contains(why, "phase-alternate") {
		t.Fatalf("rule lowered the Alternate floor: %s %q", d, why)
	}
	yolo := Action{Agent: "a", Tool: "yolo", Effect: "delete", Target: "internal", Tier: 3}
	if d, why := p.Classify(yolo); d != Auto || why != `rule "anything-goes" matched` {
		t.Fatalf("Classify = %s %q", d, why)
	}
	for name, f := range map[string]func(a *Action){
		"judge block":  func(a *Action) { a.JudgeVerdict = "block" },
		"breaker open": func(a *Action) { a.BreakerOpen = true },
		"emergency":    func(a *Action) { a.Phase = PhaseEmergency },
	} {
		a := yolo
		f(&a)
		if d, why := p.Classify(a); d != Block {
			t.Errorf("%s: a rule lifted a hard block: %s %q", name, d, why)
		}
	}
	for name, f := range map[string]func(a *Action){
		"judge flag": func(a *Action) { a.JudgeVerdict = "flag" },
		"cap":        func(a *Action) { a.CapFraction = 0.9 },
		"tier 1":     func(a *Action) { a.Tier = 1 },
	} {
		a := yolo
		f(&a)
		if d, why := p.Classify(a); d != Escalate {
			t.Errorf("%s: a rule lowered a floor: %s %q", name, d, why)
		}
	}
}

func TestFirstMatchWins(t *testing.T) {
	t.Parallel()
	p, err := Compile([]Rule{
		{Name: "first", When: `amount > 10`, Decision: Escalate, Reason: "one"},
		{Name: "second", When: `amount > 5`, Decision: Block, Reason: "two"},
	})
	if err != nil {
		t.Fatal(err)
	}
	a := with(func(a *Action) { write(a); a.Amount = 20 })
	if d, why := p.Classify(a); d != Escalate || why != `rule "first": one` {
		t.Fatalf("Classify = %s %q", d, why)
	}
	a.Amount = 7
	if d, why := p.Classify(a); d != Block || why != `rule "second": two` {
		t.Fatalf("Classify = %s %q", d, why)
	}
}

func TestRuleEvaluationErrorBlocks(t *testing.T) {
	t.Parallel()
	p, err := Compile([]Rule{{Name: "divides", When: `100 / (tier - 2) > 1`, Decision: Auto}})
	if err != nil {
		t.Fatal(err)
	}
	d, why := p.Classify(base()) // tier 2: division by zero
	if d != Block || !strings.Contains(why, `rule "divides": evaluation failed, blocked: division by zero`) {
		t.Fatalf("Classify = %s %q", d, why)
	}
}

func TestEveryVariableIsBound(t *testing.T) {
	t.Parallel()
	a := Action{Agent: "ag", Tool: "to", Effect: "write", Target: "internal", DataClass: "public",
		Amount: 1.5, Reversible: true, RecentBlocks: 1, FirstUse: false, CapFraction: 0.25,
		Phase: "", Tier: 3, JudgeVerdict: "approve"}
	p, err := Compile([]Rule{{Name: "all", Decision: Block, When: `agent == "ag" && tool == "to" && effect == "write" &&
		target == "internal" && data_class == "public" && amount == 1.5 && reversible && recent_blocks == 1 &&
		!breaker_open && !first_use && cap_fraction == 0.25 && phase == "primary" && tier == 3 && judge_verdict == "approve"`}})
	if err != nil {
		t.Fatal(err)
	}
	if d, why := p.Classify(a); d != Block || why != `rule "all" matched` {
		t.Fatalf("Classify = %s %q: a variable is not bound to its field", d, why)
	}
}

func TestRuleCostIsBounded(t *testing.T) {
	t.Parallel()
	list := "[" + strings.TrimSuffix(strings.Repeat("1,", 200), ",") + "]"
	p, err := Compile([]Rule{{Name: "expensive", Decision: Auto,
		When: list + ".all(x, " + list + ".all(y, x * y > amount))"}})
	if err != nil {
		t.Fatal(err)
	}
	d, why := p.Classify(base())
	if d != Block || !strings.Contains(why, `rule "expensive": evaluation failed, blocked`) || !strings.Contains(why, "cost limit") {
		t.Fatalf("Classify = %s %q", d, why)
	}
}
