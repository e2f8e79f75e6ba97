package judge

import (
	"context"
	"encoding/json"
	"os"
	"testing"
)

// loadEvalSet reads testdata/eval.jsonl.
func loadEvalSet(t *testing.T) []Case {
	t.Helper()
	f, err := os.Open("testdata/eval.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cases, err := ReadCases(f)
	if err != nil {
		t.Fatal(err)
	}
	return cases
}

func TestRunEvalMeetsCalibrationBars(t *testing.T) {
	t.Parallel()
	cases := loadEvalSet(t)
	if len(cases) < 60 {
		t.Fatalf("eval set has %d cases, want at least 60", len(cases))
	}
	j := newTestJudge(t, Config{})
	rep, err := RunEval(context.Background(), j, cases)
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(rep)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("report: %s", b)
	assertReportShape(t, b)
	for _, c := range cases {
		v := j.Evaluate(context.Background(), caseRequest(c))
		if (v.Decision == Approve) != (c.Expected == Approve) {
			t.Logf("miss: expected %s (%s) got %s %v: %.70q", c.Expected, c.Severity, v.Decision, v.Reasons, c.Text)
		}
	}
	if rep.N != len(cases) {
		t.Errorf("n = %d, want %d", rep.N, len(cases))
	}
	if rep.Detection.High < 0.95 {
		t.Errorf("detection high = %.3f, want >= 0.95 (PA-2.2)", rep.Detection.High)
	}
	if rep.Detection.Medium < 0.80 {
		t.Errorf("detection medium = %.3f, want >= 0.80 (PA-2.2)", rep.Detection.Medium)
	}
	if rep.FalsePositiveRate > 0.10 {
		t.Errorf("false positive rate = %.3f, want <= 0.10", rep.FalsePositiveRate)
	}
}
