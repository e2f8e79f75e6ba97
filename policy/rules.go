package policy

// DefaultRules is the starter rule set, meant to be copied into
// configuration and adapted:
//
//   - "high-value": an action moving more than 50,000 escalates.
//   - "restricted-external": restricted data never goes to an external
//     party; blocked.
//   - "repeat-blocks": an agent with two or more recent guardrail blocks
//     has every change escalated until its record clears (agent history).
//
// They are ordinary rules and go first; the built-in checks described at
// [Policy.Classify] still apply around them.
func DefaultRules() []Rule {
	return []Rule{
		{
			Name:     "restricted-external",
			When:     `data_class == "restricted" && target == "external"`,
			Decision: Block,
			Reason:   "restricted data may not go to an external party",
		},
		{
			Name:     "high-value",
			When:     `amount > 50000`,
			Decision: Escalate,
			Reason:   "amount above 50,000",
		},
		{
			Name:     "repeat-blocks",
			When:     `recent_blocks >= 2 && effect != "read"`,
			Decision: Escalate,
			Reason:   "the agent had guardrail blocks recently",
		},
	}
}
