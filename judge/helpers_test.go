package judge

import (
	"log/slog"
	"math"
	"testing"
)

// testLogger writes the judge's records through t.Log.
func testLogger(t *testing.T) *slog.Logger {
	return slog.New(slog.NewTextHandler(tWriter{t}, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

type tWriter struct{ t *testing.T }

func (w tWriter) Write(p []byte) (int, error) {
	w.t.Helper()
	w.t.Log(string(p))
	return len(p), nil
}

// newTestJudge builds a judge that logs to t.
func newTestJudge(t *testing.T, c Config) *Judge {
	t.Helper()
	if c.Logger == nil {
		c.Logger = testLogger(t)
	}
	j, err := New(c)
	if err != nil {
		t.Fatal(err)
	}
	return j
}

// msg is a message request with no confidence figures.
func msg(kind, text string) Request {
	return Request{Subject: SubjectMessage, Agent: "analysis", To: "communication", Kind: kind, Text: text,
		Confidence: math.NaN(), UpstreamConfidence: math.NaN()}
}
