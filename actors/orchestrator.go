package actors

import (
	"context"
	"encoding/json"
	"fmt"
	"os"

	"github.com/asynkron/protoactor-go/actor"
)

var osGetenv = os.Getenv

// submission is the payload ingress sends the orchestrator for a new task.
type submission struct {
	To       string          `json:"to"`
	Workflow string          `json:"workflow"`
	Payload  json.RawMessage `json:"payload"`
}

// orchestrator routes tasks to the entry agent of their workflow, spawns and
// supervises the agents, and records task outcomes. It holds no tool
// permission (IA-2.5): it has no tool gate, and the gate refuses its name.
type orchestrator struct {
	sys   *System
	p     *principal
	ready chan<- error
}

func (s *System) spawnOrchestrator(ctx context.Context) error {
	ready := make(chan error, 1)
	o := &orchestrator{sys: s, p: s.principals[Orchestrator], ready: ready}
	props := actor.PropsFromProducer(func() actor.Actor { return o },
		actor.WithReceiverMiddleware(s.middleware(Orchestrator)),
		actor.WithSupervisor(breakerStrategy{sys: s}))
	pid, err := s.as.Root.SpawnNamed(props, Orchestrator)
	if err != nil {
		return fmt.Errorf("actors: spawn orchestrator: %w", err)
	}
	s.orch = pid
	s.dir.Set(Orchestrator, pid)
	select {
	case err := <-ready:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (o *orchestrator) Receive(c actor.Context) {
	switch m := c.Message().(type) {
	case *actor.Started:
		o.spawnAgents(c)
	case *delivery:
		o.handle(m)
	}
}

func (o *orchestrator) spawnAgents(c actor.Context) {
	if o.ready == nil {
		return // restarted: children survive a restart of their parent
	}
	s := o.sys
	var err error
	for _, a := range s.defs {
		h, e := s.newHost(a)
		if e != nil {
			err = e
			break
		}
		props := actor.PropsFromProducer(func() actor.Actor { return h.fresh() },
			actor.WithReceiverMiddleware(s.middleware(a.Name)))
		pid, e := c.SpawnNamed(props, a.Name)
		if e != nil {
			err = fmt.Errorf("actors: spawn agent %s: %w", a.Name, e)
			break
		}
		s.dir.Set(a.Name, pid)
	}
	if err == nil && s.deps.Judge != nil {
		err = s.spawnJudge(c)
	}
	o.ready <- err
	o.ready = nil
}

func (o *orchestrator) handle(d *delivery) {
	m := d.msg
	switch {
	case m.From == Ingress && m.PayloadType == TypeTaskSubmit:
		o.route(d)
	case m.PayloadType == TypeTaskCompleted:
		o.sys.tasks.Complete(m.TaskID, m.From, m.Payload)
	case m.PayloadType == TypeTaskFailed:
		var f struct{ Reason string }
		_ = json.Unmarshal(m.Payload, &f)
		o.sys.tasks.Fail(m.TaskID, fmt.Sprintf("%s: %s", m.From, f.Reason))
	default:
		o.sys.log.Warn("orchestrator ignored a message", "from", m.From, "kind", m.Kind.String(), "type", m.PayloadType)
	}
}

// route sends a submitted task to the entry agent of its workflow.
func (o *orchestrator) route(d *delivery) {
	var sub submission
	if err := json.Unmarshal(d.msg.Payload, &sub); err != nil {
		o.sys.tasks.Fail(d.msg.TaskID, "orchestrator: malformed submission: "+err.Error())
		return
	}
	task := Task{ID: d.msg.TaskID, SpecHash: d.msg.TaskSpecHash}
	out := &outbound{from: o.p, to: sub.To, kind: KindInstruction, payload: sub.Payload, task: task,
		opts: sendOpts{payloadType: "maso.task", classification: d.msg.Classification}}
	out.parent, _ = parseUUID(d.msg.ID)
	o.sys.tasks.Running(task.ID)
	if err := o.sys.send(d.ctx, out, nil); err != nil {
		o.sys.tasks.Fail(task.ID, "orchestrator: "+err.Error())
	}
}
