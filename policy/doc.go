// Package policy classifies every tool call as auto-approve, escalate or
// block (MASO EC-2.1), from the action's type, target, data class, the
// agent's history, the blast-radius usage, the PACE phase and the
// judge's verdict.
//
// # Overview
//
// Operators write rules as CEL expressions (cel.dev/cel-go) that see one
// [Action] through these variables:
//
//	agent          string  the calling agent
//	tool           string  the tool's name
//	effect         string  read | write | delete | execute | external
//	target         string  internal | external
//	data_class     string  public | internal | confidential | restricted ("" if undeclared)
//	amount         double  money moved by the call, 0 if none
//	reversible     bool    the manifest says the effect can be undone
//	recent_blocks  int     the agent's guardrail blocks in the breaker window
//	breaker_open   bool    the agent's circuit breaker is open
//	first_use      bool    the agent never used this tool before
//	cap_fraction   double  highest fraction of a blast-radius cap in use after the call
//	phase          string  primary | alternate | contingency | emergency
//	tier           int     MASO tier of the deployment, 1-3
//	judge_verdict  string  "" | approve | flag | block
//
// Int and double compare directly ("amount > 50000"). [Compile]
// type-checks every rule at start; a syntax error, an unknown variable or
// an expression that is not a bool stops the start with the rule's name,
// its line and the CEL message. Evaluation is bounded by a cost limit;
// a rule that fails to evaluate blocks the action.
//
// [Policy.Classify] applies, in order: hard blocks no rule can lift
// (values out of scope, PACE Emergency, an open circuit breaker, a judge
// block); floors no rule can lower (Contingency escalates everything,
// Alternate and Tier 1 escalate every change, a judge flag and cap usage
// above 50% escalate); the rules, first match wins; and the MASO defaults
// for actions no rule decided: in-scope reads run automatically (EC-1.4),
// as do reversible internal changes, except on the first use of the tool
// by the agent; external parties, deletes and irreversible changes
// escalate. The reason returned names the rule or default that decided,
// for approvers and the decision log.
//
// [DefaultRules] is a documented starter set (high-value amounts,
// restricted data leaving, repeat offenders) to copy into configuration.
//
// # Usage
//
//	p, err := policy.Compile(append(policy.DefaultRules(), policy.Rule{
//		Name:     "claims-notify",
//		When:     `tool == "notify_claimant" && data_class == "public"`,
//		Decision: policy.Auto,
//		Reason:   "pre-approved template mail to the claimant",
//		Line:     42,
//	}))
//	if err != nil {
//		return err // names the rule and its line
//	}
//	d, why := p.Classify(policy.Action{Agent: "payments", Tool: "pay_claim",
//		Effect: "external", Target: "external", Amount: 72000, Tier: 2})
//	// d == policy.Escalate, why == `rule "high-value": amount above 50,000`
package policy
