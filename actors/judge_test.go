package actors

import (
	"context"
	"sync"
	"testing"
	"time"
)

// barrierJudge answers only once want evaluations are in flight together:
// a judge actor that evaluated one request at a time would never get there,
// and every asker would get the fail-closed verdict.
type barrierJudge struct {
	want int
	mu   sync.Mutex
	n    int
	all  chan struct{}
}

func (*barrierJudge) Sampled(string) bool { return false }

func (b *barrierJudge) Evaluate(ctx context.Context, r JudgeRequest) JudgeVerdict {
	b.mu.Lock()
	b.n++
	if b.n == b.want {
		close(b.all)
	}
	b.mu.Unlock()
	select {
	case <-b.all:
		return JudgeVerdict{Decision: "approve", Tier: "barrier"}
	case <-time.After(20 * time.Second):
		return JudgeVerdict{Decision: "block", Tier: "barrier", Reasons: []string{"evaluated alone"}}
	case <-ctx.Done():
		return failsafe(ctx.Err())
	}
}

// TestJudgeEvaluatesConcurrently: requests from several guards are evaluated
// at the same time, so a slow LLM tier answering one agent does not hold up
// the judging of every other agent's messages and actions (PG-2.1).
func TestJudgeEvaluatesConcurrently(t *testing.T) {
	const askers = 4
	j := &barrierJudge{want: askers, all: make(chan struct{})}
	e := newEnv(t, func(d *Deps) { d.Judge = j })
	var wg sync.WaitGroup
	verdicts := make([]JudgeVerdict, askers)
	for i := range askers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			verdicts[i] = e.sys.askJudge(context.Background(), JudgeRequest{Subject: "message", Agent: "a", Kind: "data", Text: "hello"})
		}()
	}
	wg.Wait()
	for i, v := range verdicts {
		if v.Decision != "approve" || v.Tier != "barrier" {
			t.Errorf("asker %d: %+v, want the judge's approval reached with all %d evaluations in flight", i, v, askers)
		}
	}
}
