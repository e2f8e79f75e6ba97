package actors

import (
	"fmt"
	"time"
)

// freshnessGuard refuses envelopes issued in the future or already expired
// (IA-2.3: stale or pre-dated identities and messages are not accepted).
type freshnessGuard struct {
	skew   time.Duration
	maxTTL time.Duration
}

func (freshnessGuard) Name() string       { return "freshness" }
func (freshnessGuard) Controls() []string { return []string{"IA-2.3"} }

func (g freshnessGuard) Check(in *Inbound) Verdict {
	now := in.Now.UnixNano()
	h := &in.Header
	switch {
	case h.IssuedAt > now+int64(g.skew):
		return block(g, fmt.Sprintf("issued %s in the future (allowed clock skew %s)", time.Duration(h.IssuedAt-now), g.skew))
	case h.ExpiresAt <= h.IssuedAt:
		return block(g, "expiry is not after issue time")
	case h.ExpiresAt-h.IssuedAt > int64(g.maxTTL):
		return block(g, fmt.Sprintf("lifetime %s exceeds the %s maximum", time.Duration(h.ExpiresAt-h.IssuedAt), g.maxTTL))
	case now > h.ExpiresAt+int64(g.skew):
		return block(g, fmt.Sprintf("expired %s ago", time.Duration(now-h.ExpiresAt)))
	}
	return Verdict{}
}

// replayGuard refuses a message ID the recipient has already accepted (IA-2.3).
type replayGuard struct {
	cache *ReplayCache
	skew  time.Duration
}

func (replayGuard) Name() string       { return "replay" }
func (replayGuard) Controls() []string { return []string{"IA-2.3"} }

func (g replayGuard) Check(in *Inbound) Verdict {
	until := time.Unix(0, in.Header.ExpiresAt).Add(g.skew)
	if !g.cache.FirstSeen(in.Recipient, in.Header.ID, until, in.Now) {
		return block(g, "replayed message id "+uuidString(in.Header.ID))
	}
	return Verdict{}
}

// graphGuard enforces the configured communication graph: a principal may send
// a kind of message to another only along a configured edge (IA-1.4). An
// instruction off the graph is also a PG-1.4 violation. A reply to a pending
// Request is authorised by that request.
type graphGuard struct {
	graph *Graph
}

func (graphGuard) Name() string       { return "graph" }
func (graphGuard) Controls() []string { return []string{"IA-1.4"} }

func (g graphGuard) Check(in *Inbound) Verdict {
	h := &in.Header
	if r := in.ExpectReply; r != nil && h.ReplyTo == r.id && h.From == r.to {
		return Verdict{}
	}
	if h.To != in.Recipient {
		return block(g, fmt.Sprintf("addressed to %q but delivered to %q", h.To, in.Recipient), "IA-2.3")
	}
	if !g.graph.Allowed(h.From, h.To, h.Kind) {
		reason := fmt.Sprintf("%s may not send %s to %s (not in the communication graph)", h.From, h.Kind, h.To)
		if h.Kind == KindInstruction || h.Kind == KindDelegation {
			return block(g, reason, "PG-1.4", "IA-1.4")
		}
		return block(g, reason)
	}
	return Verdict{}
}

// delegationGuard checks that delegated work names its delegators consistently,
// so the worker's scope can be narrowed to the intersection (IA-2.4).
type delegationGuard struct{}

func (delegationGuard) Name() string       { return "delegation" }
func (delegationGuard) Controls() []string { return []string{"IA-2.4"} }

func (g delegationGuard) Check(in *Inbound) Verdict {
	h := &in.Header
	if h.Kind != KindDelegation {
		if h.Originator != "" && (len(h.Chain) == 0 || h.Chain[0] != h.Originator) {
			return block(g, "originator does not head the delegation chain")
		}
		return Verdict{}
	}
	switch {
	case len(h.Chain) == 0:
		return block(g, "delegation without a delegation chain")
	case h.Chain[len(h.Chain)-1] != h.From:
		return block(g, fmt.Sprintf("delegation chain ends at %q, not at the sender %q", h.Chain[len(h.Chain)-1], h.From))
	case h.Originator != h.Chain[0]:
		return block(g, fmt.Sprintf("originator %q is not the head of the chain %q", h.Originator, h.Chain[0]))
	}
	for _, c := range h.Chain {
		if c == h.To {
			return block(g, fmt.Sprintf("delegation loop: %s is already in the chain", h.To))
		}
	}
	return Verdict{}
}

// clearanceGuard refuses a message classified above the recipient's clearance
// (DP-1.2, DP-2.1).
type clearanceGuard struct {
	graph *Graph
}

func (clearanceGuard) Name() string       { return "clearance" }
func (clearanceGuard) Controls() []string { return []string{"DP-1.2"} }

func (g clearanceGuard) Check(in *Inbound) Verdict {
	c := g.graph.Clearance(in.Recipient)
	if in.Header.Classification > c {
		return block(g, fmt.Sprintf("%s data sent to %s, cleared only for %s", in.Header.Classification, in.Recipient, c))
	}
	return Verdict{}
}
