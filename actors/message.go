package actors

import (
	"encoding/json"
	"fmt"
	"math"
	"time"

	"github.com/google/uuid"
)

// Message is a verified bus message as a behaviour sees it. Every field comes
// from the signed header of an envelope that passed the whole receiver pipeline.
type Message struct {
	ID             string
	From, To       string
	Kind           Kind
	TaskID         string
	ParentID       string
	ReplyTo        string
	Originator     string   // first delegator, for delegated work (IA-2.4)
	Chain          []string // delegators, originator first
	TaskSpecHash   string   // hex SHA-256 of the task spec (PG-3.2)
	Classification Classification
	Provenance     Provenance
	Confidence     float64 // NaN when the sender gave none
	IssuedAt       time.Time
	PayloadType    string
	Payload        []byte
}

// Decode unmarshals the JSON payload into v.
func (m Message) Decode(v any) error {
	if err := json.Unmarshal(m.Payload, v); err != nil {
		return fmt.Errorf("actors: decode %s payload of message %s from %s: %w", m.Kind, m.ID, m.From, err)
	}
	return nil
}

// Instruction returns the payload only when the message is an instruction or a
// delegation. Content typed data, claim or anything else is never an
// instruction (PG-1.4): behaviours that act on instructions should take them
// from here and treat every other payload as data.
func (m Message) Instruction() ([]byte, bool) {
	if m.Kind == KindInstruction || m.Kind == KindDelegation {
		return m.Payload, true
	}
	return nil, false
}

// HasConfidence reports whether the sender stated a confidence.
func (m Message) HasConfidence() bool { return !math.IsNaN(m.Confidence) }

func messageFromHeader(h *Header, payload []byte) Message {
	m := Message{
		ID:             uuidString(h.ID),
		From:           h.From,
		To:             h.To,
		Kind:           h.Kind,
		TaskID:         h.TaskID,
		ParentID:       uuidString(h.ParentID),
		ReplyTo:        uuidString(h.ReplyTo),
		Originator:     h.Originator,
		Chain:          h.Chain,
		Classification: h.Classification,
		Provenance:     h.Provenance,
		Confidence:     h.Confidence,
		IssuedAt:       time.Unix(0, h.IssuedAt).UTC(),
		PayloadType:    h.PayloadType,
		Payload:        payload,
	}
	if h.TaskSpecHash != ([32]byte{}) {
		m.TaskSpecHash = fmt.Sprintf("%x", h.TaskSpecHash[:])
	}
	return m
}

func uuidString(id [16]byte) string {
	if id == ([16]byte{}) {
		return ""
	}
	return uuid.UUID(id).String()
}

func parseUUID(s string) ([16]byte, error) {
	if s == "" {
		return [16]byte{}, nil
	}
	u, err := uuid.Parse(s)
	if err != nil {
		return [16]byte{}, fmt.Errorf("actors: bad message id %q: %w", s, err)
	}
	return u, nil
}

// newID returns a fresh UUIDv7 (time-ordered).
func newID() [16]byte {
	u, err := uuid.NewV7()
	if err != nil {
		// NewV7 fails only when the system's random source fails; nothing
		// sensible can be signed then.
		panic(fmt.Sprintf("actors: cannot generate message id: %v", err))
	}
	return u
}

// marshalPayload turns a behaviour's payload into bytes: []byte and
// json.RawMessage pass through, everything else is JSON-encoded.
func marshalPayload(v any) ([]byte, error) {
	switch p := v.(type) {
	case nil:
		return nil, nil
	case []byte:
		return p, nil
	case json.RawMessage:
		return p, nil
	case string:
		return json.Marshal(p)
	default:
		b, err := json.Marshal(v)
		if err != nil {
			return nil, fmt.Errorf("actors: payload is not JSON-encodable: %w", err)
		}
		return b, nil
	}
}
