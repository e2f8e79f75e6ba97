package actors

import (
	"fmt"
	"strings"

	"github.com/asynkron/protoactor-go/actor"

	"github.com/maso-runtime/maso/audit"
)

// breakerStrategy supervises the agents (children of the orchestrator).
// protoactor's own strategies only see panics and restart or stop; ours feeds
// every panic to the same circuit breaker that counts guard blocks: below the
// threshold the agent resumes, at it the agent is paused (EC-2.4) and, through
// OnTrip, PACE P→A is proposed. Either way the failure is in the decision log.
type breakerStrategy struct{ sys *System }

func (b breakerStrategy) HandleFailure(_ *actor.ActorSystem, sup actor.Supervisor, child *actor.PID, _ *actor.RestartStatistics, reason, _ any) {
	s := b.sys
	name := child.Id[strings.LastIndex(child.Id, "/")+1:]
	_ = s.rec.Event(s.ctx, audit.Event{Type: "agent.failure", Verdict: "block", Controls: []string{"EC-2.4"},
		Agent: name, Node: s.node, Reason: fmt.Sprintf("panic: %v", reason)})
	s.countFailure(name, fmt.Sprintf("panic: %v", reason))
	// The behaviour is rebuilt so a broken in-memory state does not persist;
	// identity and private memory survive. A paused agent stays paused.
	sup.RestartChildren(child)
}
