package actors

import "fmt"

// Kind is the type of a bus message (PG-1.4). The kind is part of the signed
// header, so a receiver can rely on it: content sent as KindData is never
// handed to a behaviour as an instruction.
type Kind uint8

// Message kinds, as in the MASO message schema (PG domain, Tier 2).
const (
	KindData Kind = iota + 1
	KindInstruction
	KindClaim
	KindDelegation
	KindToolCall
	KindToolResult
	KindVerdict
	KindControl
)

var kindNames = [...]string{
	KindData:        "data",
	KindInstruction: "instruction",
	KindClaim:       "claim",
	KindDelegation:  "delegation",
	KindToolCall:    "tool_call",
	KindToolResult:  "tool_result",
	KindVerdict:     "verdict",
	KindControl:     "control",
}

// String returns the kind's wire name ("data", "instruction", ...).
func (k Kind) String() string {
	if k >= KindData && int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("kind(%d)", uint8(k))
}

// Valid reports whether k is a known kind.
func (k Kind) Valid() bool { return k >= KindData && int(k) < len(kindNames) }

// ParseKind parses a kind name.
func ParseKind(s string) (Kind, error) {
	for k := KindData; int(k) < len(kindNames); k++ {
		if kindNames[k] == s {
			return k, nil
		}
	}
	return 0, fmt.Errorf("actors: unknown message kind %q (want data, instruction, claim, delegation, tool_call, tool_result, verdict or control)", s)
}

// Classification is the data classification of a message (DP-1.1). A message is
// delivered only to a recipient cleared for it (DP-1.2).
type Classification uint8

// Classification levels, lowest first.
const (
	Public Classification = iota + 1
	Internal
	Confidential
	Restricted
)

var classNames = [...]string{
	Public:       "public",
	Internal:     "internal",
	Confidential: "confidential",
	Restricted:   "restricted",
}

// String returns the level's name.
func (c Classification) String() string {
	if c >= Public && int(c) < len(classNames) {
		return classNames[c]
	}
	return fmt.Sprintf("classification(%d)", uint8(c))
}

// Valid reports whether c is a known level.
func (c Classification) Valid() bool { return c >= Public && int(c) < len(classNames) }

// ParseClassification parses a level name; "" means Internal.
func ParseClassification(s string) (Classification, error) {
	if s == "" {
		return Internal, nil
	}
	for c := Public; int(c) < len(classNames); c++ {
		if classNames[c] == s {
			return c, nil
		}
	}
	return 0, fmt.Errorf("actors: unknown classification %q (want public, internal, confidential or restricted)", s)
}
