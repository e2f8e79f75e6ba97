package policy

import (
	"cel.dev/cel-go/cel"
	"cel.dev/cel-go/interpreter"
)

// Phases of PACE an [Action] may carry.
const (
	PhasePrimary     = "primary"
	PhaseAlternate   = "alternate"
	PhaseContingency = "contingency"
	PhaseEmergency   = "emergency"
)

// Action is what classification sees of one tool call. Each field is a
// CEL variable of the name in its comment.
type Action struct {
	Agent string // agent: the calling agent
	Tool  string // tool: the tool's name
	// Effect is the tool's effect: read, write, delete, execute or
	// external.
	Effect string // effect
	// Target is internal or external (another party is involved).
	Target string // target
	// DataClass is the most sensitive class the tool touches: public,
	// internal, confidential or restricted; empty if not declared.
	DataClass string // data_class
	// Amount is the money the call moves, 0 if none.
	Amount float64 // amount
	// Reversible is the manifest's reversibility.
	Reversible bool // reversible
	// RecentBlocks counts the agent's guardrail blocks in the breaker
	// window.
	RecentBlocks int // recent_blocks
	// BreakerOpen: the agent's circuit breaker is open.
	BreakerOpen bool // breaker_open
	// FirstUse: the agent never used this tool before (no baseline).
	FirstUse bool // first_use
	// CapFraction is the highest fraction of a blast-radius cap in use
	// after this call.
	CapFraction float64 // cap_fraction
	// Phase is the PACE phase; empty means primary.
	Phase string // phase
	// Tier is the MASO tier the deployment runs at (1-3); 0 counts as 1.
	Tier int // tier
	// JudgeVerdict is "", approve, flag or block.
	JudgeVerdict string // judge_verdict
}

// variables are the CEL declarations of [Action]'s fields.
var variables = []cel.EnvOption{
	cel.Variable("agent", cel.StringType),
	cel.Variable("tool", cel.StringType),
	cel.Variable("effect", cel.StringType),
	cel.Variable("target", cel.StringType),
	cel.Variable("data_class", cel.StringType),
	cel.Variable("amount", cel.DoubleType),
	cel.Variable("reversible", cel.BoolType),
	cel.Variable("recent_blocks", cel.IntType),
	cel.Variable("breaker_open", cel.BoolType),
	cel.Variable("first_use", cel.BoolType),
	cel.Variable("cap_fraction", cel.DoubleType),
	cel.Variable("phase", cel.StringType),
	cel.Variable("tier", cel.IntType),
	cel.Variable("judge_verdict", cel.StringType),
}

// newEnv is the CEL environment rules compile in. Numeric comparisons
// across int and double are allowed, so "amount > 50000" works.
func newEnv() (*cel.Env, error) {
	return cel.NewEnv(append(variables, cel.CrossTypeNumericComparisons(true))...)
}

// activation resolves the CEL variables from an Action without building
// a map per evaluation.
type activation struct{ a *Action }

// ResolveName returns the value of a variable.
func (v activation) ResolveName(name string) (any, bool) {
	a := v.a
	switch name {
	case "agent":
		return a.Agent, true
	case "tool":
		return a.Tool, true
	case "effect":
		return a.Effect, true
	case "target":
		return a.Target, true
	case "data_class":
		return a.DataClass, true
	case "amount":
		return a.Amount, true
	case "reversible":
		return a.Reversible, true
	case "recent_blocks":
		return int64(a.RecentBlocks), true
	case "breaker_open":
		return a.BreakerOpen, true
	case "first_use":
		return a.FirstUse, true
	case "cap_fraction":
		return a.CapFraction, true
	case "phase":
		return a.phase(), true
	case "tier":
		return int64(a.Tier), true
	case "judge_verdict":
		return a.JudgeVerdict, true
	}
	return nil, false
}

// Parent returns nil: there is no enclosing scope.
func (activation) Parent() interpreter.Activation { return nil }

// phase is Phase with the empty default resolved.
func (a *Action) phase() string {
	if a.Phase == "" {
		return PhasePrimary
	}
	return a.Phase
}
