package actors

import (
	"time"

	"github.com/maso-runtime/maso/actors/wire"
	"github.com/maso-runtime/maso/identity"
)

// Action is what a guard decides for a message.
type Action uint8

// Guard outcomes.
const (
	Pass Action = iota
	Block
	Escalate
)

// String returns "pass", "block" or "escalate".
func (a Action) String() string {
	switch a {
	case Pass:
		return "pass"
	case Block:
		return "block"
	case Escalate:
		return "escalate"
	}
	return "unknown"
}

// Verdict is one guard's decision, with the MASO controls that decided it.
type Verdict struct {
	Action   Action
	Guard    string
	Controls []string
	Reason   string
}

// Inbound is a message on its way to a behaviour, as the guards see it.
// Header and Peer are set once authentication has passed.
type Inbound struct {
	Env       *wire.Signed
	Header    Header
	Peer      *identity.Peer
	Recipient string    // name of the principal the message is delivered to
	Now       time.Time // one clock reading for the whole pipeline
	// ExpectReply is set when the message answers a Request of the recipient:
	// the ID of that request and the principal it was sent to.
	ExpectReply *pendingReply
}

type pendingReply struct {
	id [16]byte
	to string
}

// Guard is one named stage of the receiver pipeline. Check must be safe for
// concurrent use; it is called on the recipient's goroutine.
type Guard interface {
	Name() string
	Controls() []string
	Check(in *Inbound) Verdict
}

func block(g Guard, reason string, controls ...string) Verdict {
	if len(controls) == 0 {
		controls = g.Controls()
	}
	return Verdict{Action: Block, Guard: g.Name(), Controls: controls, Reason: reason}
}
