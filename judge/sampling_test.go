package judge

import (
	"errors"
	"testing"
)

// sequence returns 0.00, 0.01, ..., 0.99, 0.00, ...
func sequence() func() float64 {
	i := 0
	return func() float64 {
		v := float64(i%100) / 100
		i++
		return v
	}
}

func TestSampledDefaults(t *testing.T) {
	t.Parallel()
	j := newTestJudge(t, Config{Rand: sequence()})
	count := func(subject Subject, kind string) int {
		n := 0
		for range 100 {
			if j.Sampled(subject, kind) {
				n++
			}
		}
		return n
	}
	if n := count(SubjectMessage, "data"); n != 25 {
		t.Errorf("data sampled %d of 100, want 25", n)
	}
	for _, kind := range []string{"instruction", "delegation", "claim", "Claim", "tool_result"} {
		if n := count(SubjectMessage, kind); n != 100 {
			t.Errorf("%s sampled %d of 100, want 100", kind, n)
		}
	}
	if n := count(SubjectAction, "data"); n != 100 {
		t.Errorf("actions sampled %d of 100, want 100", n)
	}
}

func TestSampledConfigured(t *testing.T) {
	t.Parallel()
	j := newTestJudge(t, Config{Rand: sequence(), Sampling: map[string]float64{"DATA": 0, "claim": 0.5}})
	for range 100 {
		if j.Sampled(SubjectMessage, "data") {
			t.Fatal("data sampled at rate 0")
		}
		if !j.Sampled(SubjectAction, "data") {
			t.Fatal("action not sampled")
		}
	}
	n := 0
	for range 100 {
		if j.Sampled(SubjectMessage, "claim") {
			n++
		}
	}
	if n != 50 {
		t.Errorf("claim sampled %d of 100 at 0.5, want 50", n)
	}
	if !j.Sampled(SubjectMessage, "instruction") {
		t.Error("instruction lost its default rate of 1")
	}
}

func TestNewRejectsInvalidConfig(t *testing.T) {
	t.Parallel()
	for name, c := range map[string]Config{
		"rate above 1":       {Sampling: map[string]float64{"data": 1.5}},
		"negative rate":      {Sampling: map[string]float64{"data": -0.1}},
		"negative budget":    {Budget: -1},
		"negative window":    {BlockWindow: -1},
		"negative threshold": {BlockThreshold: -1},
		"llm without client": {LLM: &LLMConfig{Model: "m"}},
	} {
		if _, err := New(c); !errors.Is(err, ErrInvalidConfig) {
			t.Errorf("%s: err = %v, want ErrInvalidConfig", name, err)
		}
	}
}
