package judge

import (
	"context"
	"sync"
	"testing"
)

func TestConcurrentUse(t *testing.T) {
	t.Parallel()
	f := newFakeLLM(t, answering(verdictJSON("approve", 0.9)))
	calls := &thresholdCalls{}
	j := f.judge(t, Config{OnThreshold: calls.on})
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 10 {
				j.Sampled(SubjectMessage, "data")
				if v := j.Evaluate(context.Background(), msg("claim", cleanClaim)); v.Decision != Approve {
					t.Errorf("clean claim: %s %q", v.Decision, v.Reasons)
				}
				j.Evaluate(context.Background(), blockedBy("rogue"))
			}
		})
	}
	wg.Wait()
	// 80 blocks, the count restarting after every 4th: 20 calls.
	if agents, _ := calls.get(); len(agents) != 20 {
		t.Errorf("OnThreshold called %d times for 80 blocks, want 20", len(agents))
	}
}
