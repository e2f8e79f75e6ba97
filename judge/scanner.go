package judge

import "strings"

// Scanner is what the judge asks of the deterministic guardrails: the
// injection and leakage findings on a text. Implementations must be safe
// for concurrent use. A guardrail with another method name is adapted
// with ScannerFunc.
type Scanner interface {
	Findings(text string) []Finding
}

// ScannerFunc adapts a function to a Scanner.
type ScannerFunc func(text string) []Finding

// Findings calls f.
func (f ScannerFunc) Findings(text string) []Finding { return f(text) }

// Finding is one guardrail hit: the detector that fired and the MASO
// control it enforces. The rules tier reads a finding as
//
//   - injection when Control is PG-1.1, PG-1.2 (a prompt-extraction
//     request) or PG-2.1, or Detector mentions "injection" or
//     "jailbreak": block (PG-2.1);
//   - leakage when Control is PG-2.3 or IA-2.6, or Detector mentions
//     "canary", "credential", "secret" or "prompt": block (PG-2.3,
//     IA-2.6);
//   - anything else: flag, under the finding's own control.
type Finding struct {
	Detector string
	Control  string
}

// findingClass sorts a finding into injection, leakage or other.
type findingClass int

const (
	findingOther findingClass = iota
	findingInjection
	findingLeak
)

func classify(f Finding) findingClass {
	control := strings.ToUpper(strings.TrimSpace(f.Control))
	det := strings.ToLower(f.Detector)
	switch {
	case control == "PG-1.1" || control == "PG-1.2" || control == "PG-2.1" || containsAny(det, "injection", "jailbreak"):
		return findingInjection
	case control == "PG-2.3" || control == "IA-2.6" || containsAny(det, "canary", "credential", "secret", "prompt"):
		return findingLeak
	}
	return findingOther
}

// containsAny reports whether s contains any of subs.
func containsAny(s string, subs ...string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}
