package policy

import (
	"errors"
	"strings"
	"testing"
)

func TestCompileRejectsBadRules(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		rule Rule
		want []string
	}{
		{"syntax", Rule{Name: "broken", When: `amount >`, Decision: Block, Line: 12},
			[]string{`rule "broken" (line 12)`, "Syntax error"}},
		{"unknown variable", Rule{Name: "typo", When: `amout > 5`, Decision: Block, Line: 7},
			[]string{`rule "typo" (line 7)`, "undeclared reference to 'amout'"}},
		{"returns string", Rule{Name: "stringy", When: `tool + "x"`, Decision: Block, Line: 3},
			[]string{`rule "stringy" (line 3)`, "when returns string, want bool"}},
		{"returns int", Rule{Name: "count", When: `recent_blocks`, Decision: Block},
			[]string{`rule "count"`, "when returns int, want bool"}},
		{"type mismatch", Rule{Name: "mixed", When: `tool == 5`, Decision: Block, Line: 9},
			[]string{`rule "mixed" (line 9)`, "no matching overload"}},
		{"bad decision", Rule{Name: "d", When: `true`, Decision: "allow", Line: 4},
			[]string{`rule "d" (line 4)`, `decision "allow" is not one of auto, escalate, block`}},
		{"empty when", Rule{Name: "e", Decision: Block}, []string{`rule "e"`, "when is required"}},
		{"no name", Rule{When: `true`, Decision: Block, Line: 2}, []string{`rule "" (line 2)`, "a name is required"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := Compile([]Rule{tt.rule})
			if !errors.Is(err, ErrRule) {
				t.Fatalf("err = %v, want ErrRule", err)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Fatalf("err = %q, want it to contain %q", err, w)
				}
			}
		})
	}
}

func TestCompileReportsEveryBadRule(t *testing.T) {
	t.Parallel()
	_, err := Compile([]Rule{
		{Name: "ok", When: `true`, Decision: Auto, Line: 1},
		{Name: "bad1", When: `nope`, Decision: Auto, Line: 5},
		{Name: "ok", When: `false`, Decision: Auto, Line: 9},
	})
	for _, w := range []string{`rule "bad1" (line 5)`, `rule "ok" (line 9): duplicate name`} {
		if err == nil || !strings.Contains(err.Error(), w) {
			t.Fatalf("err = %v, want it to contain %q", err, w)
		}
	}
}

func TestDefaultRulesCompile(t *testing.T) {
	t.Parallel()
	rules := DefaultRules()
	if len(rules) == 0 {
		t.Fatal("no default rules")
	}
	if _, err := Compile(rules); err != nil {
		t.Fatal(err)
	}
	if _, err := Compile(nil); err != nil {
		t.Fatalf("an empty rule set: %v", err)
	}
}
