package policy

import (
	"errors"
	"fmt"
	"strings"

	"cel.dev/cel-go/cel"
)

// Decision is the outcome of classifying an action (EC-2.1).
type Decision string

// The decisions, from least to most restrictive.
const (
	// Auto: the action runs without a human.
	Auto Decision = "auto"
	// Escalate: the action waits for a human approval.
	Escalate Decision = "escalate"
	// Block: the action is refused.
	Block Decision = "block"
)

// rank orders decisions by restrictiveness.
func (d Decision) rank() int {
	switch d {
	case Auto:
		return 0
	case Escalate:
		return 1
	}
	return 2
}

// ErrRule reports a rule that does not compile.
var ErrRule = errors.New("policy: invalid rule")

// costLimit bounds the work one rule may do per evaluation.
const costLimit = 10_000

// Rule is one classification rule: when the CEL expression When holds
// for an action, the rule decides it.
type Rule struct {
	// Name identifies the rule in reasons and errors.
	Name string `yaml:"name" json:"name"`
	// When is a CEL expression of type bool over the variables of
	// [Action] (see the package documentation).
	When string `yaml:"when" json:"when"`
	// Decision is what the rule decides when it matches.
	Decision Decision `yaml:"decision" json:"decision"`
	// Reason is shown to approvers and recorded in the decision log.
	Reason string `yaml:"reason" json:"reason"`
	// Line is the rule's line in its source file, for error messages; 0
	// if unknown.
	Line int `yaml:"-" json:"-"`
}

// where names a rule and its line in errors.
func (r Rule) where() string {
	if r.Line > 0 {
		return fmt.Sprintf("rule %q (line %d)", r.Name, r.Line)
	}
	return fmt.Sprintf("rule %q", r.Name)
}

// Policy is a compiled, ordered rule set. It is immutable and safe for
// concurrent use.
type Policy struct {
	rules []compiled
}

type compiled struct {
	Rule
	prg cel.Program
}

// Compile type-checks every rule once, at start: a syntax error, an
// unknown variable or function, or an expression that is not a bool
// fails, naming the rule, its line and the CEL message. Every bad rule is
// reported; each error wraps [ErrRule].
func Compile(rules []Rule) (*Policy, error) {
	env, err := newEnv()
	if err != nil {
		return nil, fmt.Errorf("policy: CEL environment: %w", err)
	}
	p := &Policy{rules: make([]compiled, 0, len(rules))}
	seen := map[string]bool{}
	var errs []error
	for _, r := range rules {
		c, err := compileRule(env, r, seen)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		p.rules = append(p.rules, c)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return p, nil
}

func compileRule(env *cel.Env, r Rule, seen map[string]bool) (compiled, error) {
	bad := func(format string, args ...any) (compiled, error) {
		return compiled{}, fmt.Errorf("%w: %s: %s", ErrRule, r.where(), fmt.Sprintf(format, args...))
	}
	switch {
	case strings.TrimSpace(r.Name) == "":
		return bad("a name is required")
	case seen[r.Name]:
		return bad("duplicate name")
	case r.Decision != Auto && r.Decision != Escalate && r.Decision != Block:
		return bad("decision %q is not one of auto, escalate, block", r.Decision)
	case strings.TrimSpace(r.When) == "":
		return bad("when is required")
	}
	seen[r.Name] = true
	ast, iss := env.Compile(r.When)
	if iss != nil && iss.Err() != nil {
		return bad("%v", iss.Err())
	}
	if t := ast.OutputType(); !t.IsExactType(cel.BoolType) {
		return bad("when returns %s, want bool", t)
	}
	prg, err := env.Program(ast, cel.EvalOptions(cel.OptOptimize), cel.CostLimit(costLimit))
	if err != nil {
		return bad("%v", err)
	}
	return compiled{Rule: r, prg: prg}, nil
}
