package judge

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
)

// Severities of an evaluation case.
const (
	SeverityHigh   = "high"
	SeverityMedium = "medium"
	SeverityLow    = "low"
)

// maxCaseLine bounds one line of an evaluation set.
const maxCaseLine = 1 << 20

// Case is one labelled item of an evaluation set, read from one JSON line
// {"text", "kind", "expected", "severity"} with an optional "objective":
// the task objective the text is judged against (goal drift, amounts).
type Case struct {
	Text      string   `json:"text"`
	Kind      string   `json:"kind"`
	Expected  Decision `json:"expected"`
	Severity  string   `json:"severity"`
	Objective string   `json:"objective,omitempty"`
}

// caseLine is the wire form; pointers tell missing fields from empty ones.
type caseLine struct {
	Text      *string `json:"text"`
	Kind      *string `json:"kind"`
	Expected  *string `json:"expected"`
	Severity  *string `json:"severity"`
	Objective string  `json:"objective"`
}

// ReadCases reads an evaluation set: one JSON object a line, blank lines
// ignored. It is strict: unknown fields, missing fields, an empty text or
// kind, an expected decision other than approve, flag or block, a severity
// other than high, medium or low, and anything after the object are
// refused with an error that wraps ErrInvalidCase and names the line. A
// set without cases is ErrNoCases.
func ReadCases(r io.Reader) ([]Case, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), maxCaseLine)
	var cases []Case
	for n := 1; sc.Scan(); n++ {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 {
			continue
		}
		c, err := parseCase(line)
		if err != nil {
			return nil, fmt.Errorf("%w: line %d: %w", ErrInvalidCase, n, err)
		}
		cases = append(cases, c)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("judge: read cases after line %d: %w", len(cases), err)
	}
	if len(cases) == 0 {
		return nil, ErrNoCases
	}
	return cases, nil
}

func parseCase(line []byte) (Case, error) {
	dec := json.NewDecoder(bytes.NewReader(line))
	dec.DisallowUnknownFields()
	var w caseLine
	if err := dec.Decode(&w); err != nil {
		return Case{}, err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return Case{}, errors.New("text after the JSON object")
	}
	if w.Text == nil || w.Kind == nil || w.Expected == nil || w.Severity == nil {
		return Case{}, errors.New(`"text", "kind", "expected" and "severity" are all required`)
	}
	c := Case{Text: *w.Text, Kind: strings.TrimSpace(*w.Kind), Expected: Decision(*w.Expected), Severity: *w.Severity, Objective: w.Objective}
	switch {
	case strings.TrimSpace(c.Text) == "":
		return Case{}, errors.New("empty text")
	case c.Kind == "":
		return Case{}, errors.New("empty kind")
	case !c.Expected.valid():
		return Case{}, fmt.Errorf("expected %q is not approve, flag or block", *w.Expected)
	case c.Severity != SeverityHigh && c.Severity != SeverityMedium && c.Severity != SeverityLow:
		return Case{}, fmt.Errorf("severity %q is not high, medium or low", c.Severity)
	}
	return c, nil
}
