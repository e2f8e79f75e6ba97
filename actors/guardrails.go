package actors

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/maso-runtime/maso/audit"
	"github.com/maso-runtime/maso/config"
	"github.com/maso-runtime/maso/dlp"
)

// ErrGuardrail reports content refused by the guardrails.
var ErrGuardrail = errors.New("actors: refused by the guardrails")

// newScanner builds the node's DLP scanner with every agent's canary and the
// configured ones (nil when guardrails are disabled).
func newScanner(cfg *config.Config, canaries map[string]string) *dlp.Scanner {
	if cfg.Guardrails.Disabled {
		return nil
	}
	c := dlp.DefaultConfig()
	c.Canaries = append(slices.Clone(cfg.Guardrails.Canaries), mapValues(canaries)...)
	c.Redact = map[string]bool{}
	for _, d := range cfg.Guardrails.Redact {
		c.Redact[d] = true
	}
	return dlp.New(c)
}

func mapValues(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for _, v := range m {
		out = append(out, v)
	}
	slices.Sort(out)
	return out
}

// newCanary returns a fresh canary token.
func newCanary() string {
	b := make([]byte, 10)
	_, _ = rand.Read(b)
	return "MASO-CANARY-" + strings.ToUpper(hex.EncodeToString(b))
}

// dlpGuard is DLP and the injection guardrails on the bus (DP-2.1, PG-1.1,
// PG-2.3, IA-2.6): the payload, normalised and decoded, and the task's
// recent messages (for payloads split across messages) are scanned; a canary,
// a system-prompt fragment, a credential or an injection is refused, and so
// is data classified above the recipient's clearance.
type dlpGuard struct {
	sys     *System
	scanner *dlp.Scanner
}

func (dlpGuard) Name() string       { return "dlp" }
func (dlpGuard) Controls() []string { return []string{"DP-2.1", "PG-1.1", "PG-2.3", "IA-2.6"} }

func (g dlpGuard) Check(in *Inbound) Verdict {
	if in.Recipient == JudgeName || in.Header.From == JudgeName {
		return Verdict{} // the judge must see what it evaluates; its input is isolated as data
	}
	text := string(in.Env.Payload)
	var fs []dlp.Finding
	if in.Header.TaskID != "" {
		fs = g.scanner.ScanTask(in.Header.TaskID, text)
	} else {
		fs = g.scanner.Scan(text)
	}
	if len(fs) == 0 {
		return Verdict{}
	}
	if hard(fs) {
		return block(g, "content refused: "+describe(fs, true), controlsOf(fs)...)
	}
	if cls, err := ParseClassification(dlp.HighestClass(fs)); err == nil && cls > g.sys.graph.Clearance(in.Recipient) {
		return block(g, fmt.Sprintf("%s data (%s) for %s, cleared only for %s", cls, describe(fs, false), in.Recipient,
			g.sys.graph.Clearance(in.Recipient)), "DP-2.1", "DP-1.2")
	}
	return Verdict{}
}

// hard reports findings that are refused whoever the recipient: injections
// (PG-1.1, PG-1.2), canaries and prompt fragments (PG-2.3) and credentials
// (IA-2.6). Personal, financial and health data (DP-2.1) go only as far as
// the recipient's clearance allows.
func hard(fs []dlp.Finding) bool {
	for _, f := range fs {
		if isHard(f) {
			return true
		}
	}
	return false
}

func isHard(f dlp.Finding) bool { return f.Control != "DP-2.1" && !f.Redactable }

// describe names the findings, with where they are when positions is set.
func describe(fs []dlp.Finding, positions bool) string {
	parts := make([]string, 0, len(fs))
	for _, f := range fs {
		if positions && isHard(f) {
			p := fmt.Sprintf("%s at bytes %d-%d", f.Detector, f.Start, f.End)
			if f.Evasion != "" {
				p += " (" + f.Evasion + ")"
			}
			parts = append(parts, p)
		} else if !positions {
			parts = append(parts, f.Detector)
		}
	}
	slices.Sort(parts)
	return strings.Join(slices.Compact(parts), ", ")
}

func controlsOf(fs []dlp.Finding) []string {
	var out []string
	for _, f := range fs {
		if isHard(f) && !slices.Contains(out, f.Control) {
			out = append(out, f.Control)
		}
	}
	return out
}

// screenInput checks external task input (PG-1.1, the task channel) before
// the task is accepted.
func (s *System) screenInput(ctx context.Context, to string, payload []byte) error {
	if s.scanner == nil {
		return nil
	}
	fs := s.scanner.Scan(string(payload))
	if !hard(fs) {
		return nil
	}
	reason := "task input refused: " + describe(fs, true)
	_ = s.rec.Event(ctx, audit.Event{Type: "task.refused", Verdict: "block", Controls: controlsOf(fs), Reason: reason,
		Guard: "dlp", Agent: Ingress, Node: s.node, To: to})
	return fmt.Errorf("%w: %w: %s", ErrBadTask, ErrGuardrail, reason)
}

// screenResult checks a tool's result (PG-1.1, the tool-output channel).
func (s *System) screenResult(out json.RawMessage) error {
	if s.scanner == nil {
		return nil
	}
	if fs := s.scanner.Scan(string(out)); hard(fs) {
		return fmt.Errorf("%w: tool result carries %s (%s)", ErrGuardrail, describe(fs, true), strings.Join(controlsOf(fs), ", "))
	}
	return nil
}

// redact replaces permitted-but-sensitive matches before a payload is
// signed (DP-2.1); the result must still be valid JSON when the input was.
func (s *System) redact(ctx context.Context, o *outbound) error {
	if s.scanner == nil || len(s.cfg.Guardrails.Redact) == 0 {
		return nil
	}
	fs := s.scanner.Scan(string(o.payload))
	var red []dlp.Finding
	for _, f := range fs {
		if f.Redactable {
			red = append(red, f)
		}
	}
	if len(red) == 0 {
		return nil
	}
	out := []byte(dlp.Redact(string(o.payload), red))
	if json.Valid(o.payload) && !json.Valid(out) {
		return fmt.Errorf("%w: redacting %s would break the payload", ErrGuardrail, describe(red, false))
	}
	o.payload = out
	_ = s.rec.Event(ctx, audit.Event{Type: "dlp.redacted", Verdict: "pass", Controls: []string{"DP-2.1"},
		Reason: "redacted " + describe(red, false), Agent: o.from.name, Node: s.node, TaskID: o.task.ID, To: o.to})
	return nil
}

// Scan runs the guardrails and DLP on a text without side effects (the
// operators' dry run): the findings, and whether the text could go to a
// recipient cleared for clearance.
func (s *System) Scan(text, clearance string) (verdict string, findings []dlp.Finding, err error) {
	if s.scanner == nil {
		return "pass", nil, nil
	}
	cl, err := ParseClassification(clearance)
	if err != nil {
		return "", nil, err
	}
	fs := s.scanner.Scan(text)
	switch {
	case hard(fs):
		return "block", fs, nil
	case len(fs) > 0 && classOf(fs) > cl:
		return "block", fs, nil
	case len(fs) > 0:
		return "flag", fs, nil
	}
	return "pass", fs, nil
}

func classOf(fs []dlp.Finding) Classification {
	c, _ := ParseClassification(dlp.HighestClass(fs))
	return c
}
