package judge

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strings"
	"unicode/utf8"
)

// minApproveConfidence: an approval the model itself is unsure of is a
// flag.
const minApproveConfidence = 0.5

// maxReasonLen bounds each reason kept from the model's answer.
const maxReasonLen = 300

// answer is the strict shape of the model's verdict. Pointers tell a
// missing field from a zero one.
type answer struct {
	Verdict    *string   `json:"verdict"`
	Confidence *float64  `json:"confidence"`
	Reasons    *[]string `json:"reasons"`
}

// parseAnswer reads the model's answer: exactly one JSON object with the
// fields verdict (approve, flag or block), confidence (0..1) and reasons
// (an array of strings), and nothing around it but white space. Anything
// else is errLLMMalformed.
func parseAnswer(content string) (Verdict, error) {
	dec := json.NewDecoder(strings.NewReader(content))
	dec.DisallowUnknownFields()
	var a answer
	if err := dec.Decode(&a); err != nil {
		return Verdict{}, fmt.Errorf("%w: %w", errLLMMalformed, err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return Verdict{}, fmt.Errorf("%w: text after the JSON object", errLLMMalformed)
	}
	if a.Verdict == nil || a.Confidence == nil || a.Reasons == nil {
		return Verdict{}, fmt.Errorf("%w: verdict, confidence and reasons are all required", errLLMMalformed)
	}
	d := Decision(*a.Verdict)
	if !d.valid() {
		return Verdict{}, fmt.Errorf("%w: unknown verdict %q", errLLMMalformed, *a.Verdict)
	}
	c := *a.Confidence
	if math.IsNaN(c) || c < 0 || c > 1 {
		return Verdict{}, fmt.Errorf("%w: confidence %v is not within 0..1", errLLMMalformed, c)
	}
	v := Verdict{Decision: d, Confidence: c, Tier: TierLLM}
	for _, reason := range *a.Reasons {
		v.Reasons = append(v.Reasons, "llm: "+clip(reason, maxReasonLen))
	}
	if d == Approve && c < minApproveConfidence {
		v.Decision = Flag
		v.Reasons = append(v.Reasons, fmt.Sprintf("llm: approval at confidence %.2f is below %.2f", c, minApproveConfidence))
	}
	return v, nil
}

// clip shortens s to at most n bytes on a rune boundary.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}
