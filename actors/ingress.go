package actors

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/maso-runtime/maso/audit"
)

// ErrBadTask reports a task submission that cannot be accepted.
var ErrBadTask = errors.New("actors: bad task")

// newHost prepares the host of one agent.
func (s *System) newHost(a agentDef) (*host, error) {
	factory := s.deps.Behaviours[a.Behaviour]
	if factory == nil {
		return nil, fmt.Errorf("actors: agent %q uses behaviour %q, which is not registered", a.Name, a.Behaviour)
	}
	spec := AgentSpec{Name: a.Name, Role: a.Role, Tools: a.Tools, Clearance: a.Clearance, Settings: a.Settings,
		BackupOf: a.BackupOf, Canary: s.canaries[a.Name]}
	if l := a.LLM; l != nil {
		spec.LLM = &LLMSpec{Endpoint: l.Endpoint, Model: l.Model, SystemPrompt: l.SystemPrompt,
			Temperature: l.Temperature, MaxTokens: l.MaxTokens, Timeout: l.Timeout.Duration}
		if l.APIKeyEnv != "" {
			spec.LLM.APIKey = s.deps.Env(l.APIKeyEnv)
		}
	}
	p := s.principals[a.Name]
	return &host{sys: s, p: p, spec: spec, factory: factory, mem: p.mem}, nil
}

// fresh returns a new incarnation of the host (after a supervisor restart):
// the same identity and private memory, a newly built behaviour.
func (h *host) fresh() *host {
	return &host{sys: h.sys, p: h.p, spec: h.spec, factory: h.factory, mem: h.mem}
}

// Submit accepts a task from outside (the admin API): to names a workflow or
// its entry agent, payload is the task's JSON. The ingress principal signs it
// to the orchestrator, which routes it. The task spec hash binds the task's
// target and exact payload (PG-1.3, PG-3.2).
func (s *System) Submit(ctx context.Context, to string, payload json.RawMessage) (string, error) {
	wf, ok := s.cfg.WorkflowFor(to)
	r := s.Restrictions()
	switch {
	case r.Halted:
		return "", fmt.Errorf("%w: the node is in %s; new tasks are refused", ErrSuspended, r.Phase)
	case ok && r.Contingency && wf.Entry != r.OnlyAgent:
		return "", fmt.Errorf("%w: contingency: orchestration is suspended; only tasks for %q are accepted", ErrSuspended, r.OnlyAgent)
	}
	if !ok {
		return "", fmt.Errorf("%w: unknown recipient %q: no workflow or entry agent of that name (entry agents: %v)", ErrBadTask, to, s.entries())
	}
	if !json.Valid(payload) {
		return "", fmt.Errorf("%w: payload is not valid JSON", ErrBadTask)
	}
	if n := len(payload); n > s.pipe.maxPayload {
		return "", fmt.Errorf("%w: payload of %d bytes exceeds the %d-byte limit", ErrPayloadTooLarge, n, s.pipe.maxPayload)
	}
	if err := s.screenInput(ctx, wf.Entry, payload); err != nil {
		return "", err
	}
	id := uuidString(newID())
	spec := taskSpecHash(wf.Entry, payload)
	body, err := json.Marshal(submission{To: wf.Entry, Workflow: wf.Name, Payload: payload})
	if err != nil {
		return "", err
	}
	s.tasks.Create(id, wf.Name, wf.Entry, spec, wf.Timeout.Duration)
	_ = s.rec.Event(ctx, audit.Event{Type: "task.submitted", Verdict: "pass", Controls: []string{"PG-1.3"},
		Agent: Ingress, Node: s.node, TaskID: id, To: wf.Entry, Attrs: map[string]string{"workflow": wf.Name, "spec_hash": spec}})
	o := &outbound{from: s.principals[Ingress], to: Orchestrator, kind: KindInstruction, payload: body,
		task: Task{ID: id, SpecHash: spec}, opts: sendOpts{payloadType: TypeTaskSubmit, classification: Internal}}
	if err := s.send(ctx, o, nil); err != nil {
		s.tasks.Fail(id, "ingress: "+err.Error())
		return id, err
	}
	return id, nil
}

func (s *System) entries() []string {
	out := make([]string, 0, len(s.cfg.Workflows))
	for _, w := range s.cfg.Workflows {
		out = append(out, w.Entry)
	}
	return out
}

// taskSpecHash is the SHA-256 of the immutable task spec: its entry agent and
// its exact payload, domain-separated.
func taskSpecHash(entry string, payload []byte) string {
	h := sha256.New()
	h.Write([]byte("maso.task.v1\n"))
	h.Write([]byte(entry))
	h.Write([]byte{0})
	h.Write(payload)
	return hex.EncodeToString(h.Sum(nil))
}

// WaitTask blocks until the task reaches a final state or ctx ends.
func (s *System) WaitTask(ctx context.Context, id string) (TaskView, error) {
	done := s.tasks.Done(id)
	if done == nil {
		return TaskView{}, fmt.Errorf("actors: unknown task %q", id)
	}
	select {
	case <-done:
	case <-ctx.Done():
		v, _ := s.tasks.Get(id)
		return v, ctx.Err()
	}
	v, _ := s.tasks.Get(id)
	return v, nil
}
