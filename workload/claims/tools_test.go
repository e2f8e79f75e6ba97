package claims

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/maso-runtime/maso/actors"
)

// callTool runs a tool of w with JSON arguments.
func callTool(t *testing.T, w *Workload, tool string, args any) (any, error) {
	t.Helper()
	raw, ok := args.(string)
	if !ok {
		b, err := json.Marshal(args)
		if err != nil {
			t.Fatal(err)
		}
		raw = string(b)
	}
	return w.Tools()[tool](context.Background(), actors.ToolCall{Agent: "tester", TaskID: "task-9", Tool: tool, Args: json.RawMessage(raw)})
}

func registerArgsFor(c Claim) registerArgs {
	return registerArgs{Claim: c, Severity: Severity(c.AmountClaimed), Classification: Classify(c).String()}
}

func TestToolsAreTheConfiguredOnes(t *testing.T) {
	tools := New().Tools()
	names := []string{ToolRegisterClaim, ToolLookupPolicy, ToolStageLetter, ToolRecordAssessment, ToolSendLetter}
	for _, name := range names {
		if tools[name] == nil {
			t.Errorf("tool %s missing", name)
		}
	}
	if len(tools) != len(names) {
		t.Errorf("%d tools, want %d", len(tools), len(names))
	}
}

func TestRegisterClaim(t *testing.T) {
	w := New()
	out, err := callTool(t, w, ToolRegisterClaim, registerArgsFor(validClaim()))
	if err != nil {
		t.Fatal(err)
	}
	r := out.(Registered)
	if r.ID != "CLM-000001" || r.RegisteredBy != "tester" || r.TaskID != "task-9" || r.Severity != SeverityLow {
		t.Fatalf("registered %+v", r)
	}
	got, ok := w.Claim(r.ID)
	if !ok || got != r {
		t.Fatalf("registry holds %+v, %v; want %+v", got, ok, r)
	}
	if _, ok := w.Claim("CLM-000002"); ok {
		t.Fatal("registry holds a claim that was never registered")
	}
}

func TestRegisterClaimRefusesBadArgs(t *testing.T) {
	bad := validClaim()
	bad.Type = "pet"
	tests := []struct {
		name string
		args any
		want string
	}{
		{"not JSON", "{", "unexpected EOF"},
		{"unknown field", `{"claim":{},"ammount":3}`, `unknown field "ammount"`},
		{"invalid claim", registerArgs{Claim: bad, Severity: SeverityLow, Classification: "confidential"}, "type: unknown claim type"},
		{"wrong severity", registerArgs{Claim: validClaim(), Severity: SeverityHigh, Classification: "confidential"}, `severity "high" does not match`},
		{"downgraded class", registerArgs{Claim: func() Claim { c := validClaim(); c.Type = TypeHealth; return c }(),
			Severity: SeverityLow, Classification: "confidential"}, `want "restricted"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := New()
			_, err := callTool(t, w, ToolRegisterClaim, tt.args)
			if !errors.Is(err, ErrToolArgs) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want ErrToolArgs saying %q", err, tt.want)
			}
			if _, ok := w.Claim("CLM-000001"); ok {
				t.Fatal("a refused claim was registered")
			}
		})
	}
}

func TestLookupPolicyTool(t *testing.T) {
	w := New()
	out, err := callTool(t, w, ToolLookupPolicy, lookupArgs{PolicyNumber: "POL-100003"})
	if err != nil {
		t.Fatal(err)
	}
	if p := out.(Policy); p.Holder != "Chen Wei" || !p.CoversType(TypeHealth) {
		t.Fatalf("got %+v", p)
	}
	if _, err := callTool(t, w, ToolLookupPolicy, lookupArgs{PolicyNumber: "POL-000000"}); !errors.Is(err, ErrUnknownPolicy) {
		t.Fatalf("unknown policy: err = %v", err)
	}
	if _, err := callTool(t, w, ToolLookupPolicy, lookupArgs{PolicyNumber: "100003"}); !errors.Is(err, ErrToolArgs) {
		t.Fatalf("malformed policy number: err = %v", err)
	}
}

func TestStageLetter(t *testing.T) {
	w := New()
	out, err := callTool(t, w, ToolRegisterClaim, registerArgsFor(validClaim()))
	if err != nil {
		t.Fatal(err)
	}
	id := out.(Registered).ID
	args := stageArgs{ClaimID: id, To: "Alice Moreau", Email: "alice.moreau@example.com", Body: "Dear Alice Moreau, ..."}
	out, err = callTool(t, w, ToolStageLetter, args)
	if err != nil {
		t.Fatal(err)
	}
	if ref := out.(letterRef); ref.LetterID != "LTR-000001" {
		t.Fatalf("letter id %q", ref.LetterID)
	}
	want := StagedLetter{ID: "LTR-000001", ClaimID: id, To: args.To, Email: args.Email, Body: args.Body, StagedBy: "tester", TaskID: "task-9"}
	if ls := w.Letters(); len(ls) != 1 || ls[0] != want {
		t.Fatalf("letters %+v, want [%+v]", ls, want)
	}
}

func TestStageLetterRefusesBadArgs(t *testing.T) {
	w := New()
	out, err := callTool(t, w, ToolRegisterClaim, registerArgsFor(validClaim()))
	if err != nil {
		t.Fatal(err)
	}
	id := out.(Registered).ID
	tests := []struct {
		name string
		args stageArgs
		want error
		msg  string
	}{
		{"unknown claim", stageArgs{ClaimID: "CLM-999999", To: "Alice Moreau", Body: "x"}, ErrUnknownClaim, "CLM-999999"},
		{"wrong recipient", stageArgs{ClaimID: id, To: "Mallory", Body: "x"}, ErrToolArgs, `claimant is "Alice Moreau"`},
		{"empty body", stageArgs{ClaimID: id, To: "Alice Moreau", Body: " \n"}, ErrToolArgs, "body is required"},
		{"huge body", stageArgs{ClaimID: id, To: "Alice Moreau", Body: strings.Repeat("x", maxLetterBytes+1)}, ErrToolArgs, "exceeds"},
		{"bad email", stageArgs{ClaimID: id, To: "Alice Moreau", Email: "nope", Body: "x"}, ErrToolArgs, "not an email"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := callTool(t, w, ToolStageLetter, tt.args)
			if !errors.Is(err, tt.want) || !strings.Contains(err.Error(), tt.msg) {
				t.Fatalf("err = %v, want %v saying %q", err, tt.want, tt.msg)
			}
		})
	}
	if n := len(w.Letters()); n != 0 {
		t.Fatalf("%d letters staged by refused calls", n)
	}
}

func TestToolRefusesCancelledContext(t *testing.T) {
	w := New()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	raw, _ := json.Marshal(registerArgsFor(validClaim()))
	_, err := w.Tools()[ToolRegisterClaim](ctx, actors.ToolCall{Tool: ToolRegisterClaim, Args: raw})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if _, ok := w.Claim("CLM-000001"); ok {
		t.Fatal("claim registered after cancellation")
	}
}

func TestToolsAreSafeConcurrently(t *testing.T) {
	w := New()
	const n = 64
	ids := make([]string, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			out, err := callTool(t, w, ToolRegisterClaim, registerArgsFor(validClaim()))
			if err != nil {
				t.Error(err)
				return
			}
			ids[i] = out.(Registered).ID
			_, err = callTool(t, w, ToolStageLetter, stageArgs{ClaimID: ids[i], To: "Alice Moreau", Body: fmt.Sprint("letter ", i)})
			if err != nil {
				t.Error(err)
			}
			_ = w.Letters()
		})
	}
	wg.Wait()
	seen := map[string]bool{}
	for _, id := range ids {
		if seen[id] {
			t.Fatalf("claim id %s issued twice", id)
		}
		seen[id] = true
	}
	if len(w.Letters()) != n {
		t.Fatalf("%d letters, want %d", len(w.Letters()), n)
	}
}
