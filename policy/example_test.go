package policy_test

import (
	"fmt"

	"github.com/maso-runtime/maso/policy"
)

func Example() {
	p, err := policy.Compile(append(policy.DefaultRules(), policy.Rule{
		Name:     "claims-notify",
		When:     `tool == "notify_claimant" && data_class == "public"`,
		Decision: policy.Auto,
		Reason:   "pre-approved template mail to the claimant",
	}))
	if err != nil {
		panic(err)
	}
	for _, a := range []policy.Action{
		{Agent: "assessor", Tool: "lookup_policy", Effect: "read", Target: "internal", Tier: 2},
		{Agent: "payments", Tool: "pay_claim", Effect: "external", Target: "external", Amount: 72000, Tier: 2},
		{Agent: "comms", Tool: "notify_claimant", Effect: "external", Target: "external", DataClass: "public", Tier: 2},
		{Agent: "comms", Tool: "notify_claimant", Effect: "external", Target: "external", DataClass: "public", Tier: 2, Phase: "alternate"},
		{Agent: "assessor", Tool: "lookup_policy", Effect: "read", Target: "internal", Tier: 2, BreakerOpen: true},
	} {
		d, why := p.Classify(a)
		fmt.Println(d, "|", why)
	}
	// Output:
	// auto | default "read": in-scope read (EC-1.4)
	// escalate | rule "high-value": amount above 50,000
	// auto | rule "claims-notify": pre-approved template mail to the claimant
	// escalate | default "phase-alternate": PACE Alternate: every change needs a human
	// block | default "breaker-open": the circuit breaker of "assessor" is open (EC-2.4)
}

func ExampleCompile() {
	_, err := policy.Compile([]policy.Rule{{Name: "big", When: `amount > "50000"`, Decision: policy.Escalate, Line: 14}})
	fmt.Println(err != nil)
	_, err = policy.Compile([]policy.Rule{{Name: "who", When: `agent`, Decision: policy.Block, Line: 15}})
	fmt.Println(err)
	// Output:
	// true
	// policy: invalid rule: rule "who" (line 15): when returns string, want bool
}
