package actors

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/asynkron/protoactor-go/actor"

	"github.com/maso-runtime/maso/audit"
)

// Judge is the LLM-as-Judge's evaluation logic (package judge implements it
// through the node). The runtime hosts it in an actor of its own, the judge
// principal, supervised by the orchestrator and separate from the task
// agents: guards and the tool gate send it signed evaluation requests and
// verify its signed verdicts like any other message (PG-2.1, EC-2.5).
type Judge interface {
	// Sampled reports whether a message of this kind is judged now.
	Sampled(kind string) bool
	// Evaluate judges a message or a proposed action.
	Evaluate(ctx context.Context, r JudgeRequest) JudgeVerdict
}

// JudgeRequest is what the judge actor receives.
type JudgeRequest struct {
	Subject      string          `json:"subject"` // "message" | "action"
	Agent        string          `json:"agent"`   // sender, or the acting agent
	To           string          `json:"to,omitempty"`
	Kind         string          `json:"kind"`
	Text         string          `json:"text"`
	TaskSpecHash string          `json:"task_spec_hash,omitempty"`
	ClaimedHash  string          `json:"claimed_spec_hash,omitempty"`
	Provenance   Provenance      `json:"provenance"`
	Confidence   *float64        `json:"confidence,omitempty"`
	Tool         string          `json:"tool,omitempty"`
	Effect       string          `json:"effect,omitempty"`
	Args         json.RawMessage `json:"args,omitempty"`
	Amount       float64         `json:"amount,omitempty"`
}

// JudgeVerdict is the judge's decision: "approve", "flag" or "block".
type JudgeVerdict struct {
	Decision string   `json:"decision"`
	Reasons  []string `json:"reasons,omitempty"`
	Controls []string `json:"controls,omitempty"`
	Tier     string   `json:"tier,omitempty"`
}

// failsafe is the verdict when the judge cannot answer: escalate, never
// approve.
func failsafe(err error) JudgeVerdict {
	return JudgeVerdict{Decision: "flag", Tier: "failsafe", Controls: []string{"PG-2.1"},
		Reasons: []string{"judge unavailable (fail closed): " + err.Error()}}
}

// judgeActor hosts the judge. Its input arrives only as signed requests
// through its own receiver pipeline, which skips the content guards: the
// text under evaluation reaches the judge as data, never its instructions.
//
// Requests are authenticated one at a time by the actor's pipeline, then
// evaluated concurrently, at most judgeConcurrency at once: an LLM tier
// answering in seconds must not make every agent's judged message wait
// behind every other's. When all slots are busy the mailbox holds the rest
// (back-pressure; the asker's budget still bounds its wait, fail closed).
type judgeActor struct {
	sys   *System
	slots chan struct{}
}

// judgeConcurrency bounds the evaluations in flight at the judge actor.
const judgeConcurrency = 32

func (s *System) spawnJudge(c actor.Context) error {
	slots := make(chan struct{}, judgeConcurrency)
	props := actor.PropsFromProducer(func() actor.Actor { return &judgeActor{sys: s, slots: slots} },
		actor.WithReceiverMiddleware(s.middleware(JudgeName)))
	pid, err := c.SpawnNamed(props, JudgeName)
	if err != nil {
		return fmt.Errorf("actors: spawn judge: %w", err)
	}
	s.dir.Set(JudgeName, pid)
	return nil
}

func (j *judgeActor) Receive(c actor.Context) {
	d, ok := c.Message().(*delivery)
	if !ok || d.sender == nil {
		return
	}
	select {
	case j.slots <- struct{}{}:
	case <-j.sys.ctx.Done():
		return
	}
	go func() {
		defer func() { <-j.slots }()
		j.answer(d)
	}()
}

// answer evaluates one authenticated request and replies with a signed
// verdict; a request that does not decode gets the fail-closed verdict.
func (j *judgeActor) answer(d *delivery) {
	var r JudgeRequest
	v := JudgeVerdict{}
	if err := json.Unmarshal(d.msg.Payload, &r); err != nil {
		v = failsafe(fmt.Errorf("malformed request: %w", err))
	} else {
		v = j.sys.deps.Judge.Evaluate(d.ctx, r)
	}
	hc := &hostContext{h: &host{sys: j.sys, p: j.sys.principals[JudgeName], log: j.sys.log}, d: d, ctx: d.ctx}
	if err := hc.Reply(v, WithType("maso.judge.verdict")); err != nil {
		j.sys.log.Error("judge could not answer", "err", err)
	}
}

// askJudge sends a request to the judge actor and waits for its verdict;
// any failure is the fail-closed verdict.
func (s *System) askJudge(ctx context.Context, r JudgeRequest) JudgeVerdict {
	payload, _ := json.Marshal(r)
	o := &outbound{from: s.principals[Ingress], to: JudgeName, kind: KindData, payload: payload,
		opts: sendOpts{payloadType: "maso.judge.request", classification: Restricted}}
	msg, err := s.request(ctx, o, s.judgeBudget())
	if err != nil {
		return failsafe(err)
	}
	var v JudgeVerdict
	if err := msg.Decode(&v); err != nil || v.Decision == "" {
		return failsafe(fmt.Errorf("malformed verdict"))
	}
	return v
}

func (s *System) judgeBudget() time.Duration {
	if b := s.cfg.Judge.Budget.Duration; b > 0 {
		return b + 2*time.Second
	}
	return 7 * time.Second
}

// judgeGuard puts sampled messages before the judge: a block stops the
// message; a flag lets it pass and is recorded for review.
type judgeGuard struct{ sys *System }

func (judgeGuard) Name() string       { return "judge" }
func (judgeGuard) Controls() []string { return []string{"PG-2.1", "PG-3.2", "PG-2.5", "PG-2.7"} }

func (g judgeGuard) Check(in *Inbound) Verdict {
	h := &in.Header
	if in.Recipient == JudgeName || h.From == JudgeName || in.ExpectReply != nil || !g.sys.deps.Judge.Sampled(h.Kind.String()) {
		return Verdict{}
	}
	r := JudgeRequest{Subject: "message", Agent: h.From, To: in.Recipient, Kind: h.Kind.String(),
		Text: string(in.Env.Payload), Provenance: h.Provenance}
	if t, ok := g.sys.tasks.Get(h.TaskID); ok {
		r.TaskSpecHash = t.SpecHash
	}
	if h.TaskSpecHash != ([32]byte{}) {
		r.ClaimedHash = fmt.Sprintf("%x", h.TaskSpecHash[:])
	}
	if !isNaN(h.Confidence) {
		c := h.Confidence
		r.Confidence = &c
	}
	v := g.sys.askJudge(g.sys.ctx, r)
	switch v.Decision {
	case "block":
		return block(g, "judge ("+v.Tier+"): "+joinReasons(v.Reasons), v.Controls...)
	case "flag":
		_ = g.sys.rec.Event(g.sys.ctx, audit.Event{Type: "judge.flag", Verdict: "escalate", Controls: v.Controls,
			Reason: joinReasons(v.Reasons), Guard: "judge", Agent: h.From, Node: g.sys.node,
			TaskID: h.TaskID, MessageID: uuidString(h.ID), To: in.Recipient})
	}
	return Verdict{}
}

func isNaN(f float64) bool { return f != f }

func joinReasons(rs []string) string {
	out := ""
	for i, r := range rs {
		if i > 0 {
			out += "; "
		}
		out += r
	}
	return out
}

// judgeAction asks the judge about a tool action ("" without a judge).
func (c *gateCall) judgeAction(ctx context.Context) string {
	s := c.g.sys
	if s.deps.Judge == nil {
		return ""
	}
	r := JudgeRequest{Subject: "action", Agent: c.agent, Kind: "tool_call", Text: string(c.args), Tool: c.name,
		Effect: string(c.m.Effect), Args: c.args, Amount: c.amount(), ClaimedHash: c.task.SpecHash}
	if t, ok := s.tasks.Get(c.task.ID); ok {
		r.TaskSpecHash = t.SpecHash
	}
	v := s.askJudge(ctx, r)
	if v.Decision != "approve" && v.Decision != "" {
		c.ev.Attrs["judge"] = v.Decision + ": " + joinReasons(v.Reasons)
	}
	return v.Decision
}
