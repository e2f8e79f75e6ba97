package audit

import (
	"maps"
	"slices"
	"time"
)

// Event is what a caller records: one delivered or rejected bus message,
// tool call, verdict or task step (OB-1.1, OB-1.2). Empty fields are left
// out of the log.
type Event struct {
	// Type names the action, e.g. "message.delivered", "message.rejected",
	// "tool.call", "task.submitted". It is required.
	Type string `json:"type"`
	// Verdict is "pass", "block", "escalate" or empty.
	Verdict string `json:"verdict,omitempty"`
	// Controls lists the MASO control IDs that decided the verdict.
	Controls []string `json:"controls,omitempty"`
	// Reason explains the verdict.
	Reason string `json:"reason,omitempty"`
	// Guard names the guard that produced the verdict.
	Guard string `json:"guard,omitempty"`
	// Agent is the principal the entry is about (IA-1.1).
	Agent string `json:"agent,omitempty"`
	// Node is the runtime node that wrote the entry.
	Node string `json:"node,omitempty"`
	// MessageID is the bus envelope ID.
	MessageID string `json:"message_id,omitempty"`
	// TaskID is the task the action belongs to.
	TaskID string `json:"task_id,omitempty"`
	// From and To are the sender and recipient of a bus message.
	From string `json:"from,omitempty"`
	To   string `json:"to,omitempty"`
	// Kind is the envelope kind (data, instruction, tool_call, ...).
	Kind string `json:"kind,omitempty"`
	// PayloadHash is the hex SHA-256 of the message payload (OB-1.2).
	PayloadHash string `json:"payload_hash,omitempty"`
	// TraceID links the entry to a distributed trace.
	TraceID string `json:"trace_id,omitempty"`
	// Phase is the PACE phase in force when the entry was written.
	Phase string `json:"phase,omitempty"`
	// Attrs holds further string attributes.
	Attrs map[string]string `json:"attrs,omitempty"`
}

// clone returns a copy of ev that shares no slice or map with it.
func (ev Event) clone() Event {
	ev.Controls = slices.Clone(ev.Controls)
	ev.Attrs = maps.Clone(ev.Attrs)
	return ev
}

// Entry is one logged event with its place in the hash chain (OB-2.1).
type Entry struct {
	// Seq is the entry's 1-based position in the log; sequence numbers
	// are dense.
	Seq uint64
	// Time is when the entry was appended, in UTC.
	Time time.Time
	// Prev is the hex hash of the previous entry; 64 '0' characters for
	// the first entry.
	Prev string
	// Hash is the hex SHA-256 of this entry (see the package
	// documentation for what it covers).
	Hash string
	// Event is the recorded event.
	Event Event
}
