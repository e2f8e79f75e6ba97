package audit

import (
	"encoding/json"
	"errors"
	"fmt"
)

// Report is the result of verifying a log (OB-1.1, OB-2.1).
//
// When OK is false, Error describes the first problem and where it is,
// Segment, Line and Seq locate it (Line is 0 for problems with a whole
// segment, Seq is the sequence number the line claims or, if it cannot be
// read, the one expected there), and Entries and Head describe the
// verified prefix before it.
type Report struct {
	OK      bool   `json:"ok"`
	Entries uint64 `json:"entries"`
	Head    string `json:"head"`
	Error   string `json:"error,omitempty"`
	Segment string `json:"segment,omitempty"`
	Line    int    `json:"line,omitempty"`
	Seq     uint64 `json:"seq,omitempty"`
}

type okReport struct {
	OK      bool   `json:"ok"`
	Entries uint64 `json:"entries"`
	Head    string `json:"head"`
}

type failReport struct {
	okReport
	Error   string `json:"error"`
	Segment string `json:"segment"`
	Line    int    `json:"line"`
	Seq     uint64 `json:"seq"`
}

// MarshalJSON encodes r as {"ok":true,"entries":N,"head":"<hex>"}, adding
// "error", "segment", "line" and "seq" when r is not OK.
func (r Report) MarshalJSON() ([]byte, error) {
	base := okReport{OK: r.OK, Entries: r.Entries, Head: r.Head}
	if r.OK {
		return json.Marshal(base)
	}
	return json.Marshal(failReport{okReport: base, Error: r.Error, Segment: r.Segment, Line: r.Line, Seq: r.Seq})
}

// Verify checks the whole log in dir without opening it for writing (used
// by "masoctl audit verify --dir"). Every line must parse, its hash must
// match its body, its prev must be the previous entry's hash (across
// segments too) and its seq the previous seq plus one; segment files must
// be numbered from 1 with no gap, and only the last may be empty.
//
// The Report describes the result. When the log is damaged, the error
// wraps ErrCorrupt and names the same problem as the Report; other errors
// are I/O failures. Entries removed from the end of the log cannot be
// detected from the directory alone (see the package documentation).
//
// Verify reads files that a running Log may be appending to; use
// Log.Verify for a consistent check of a log that is open.
func Verify(dir string) (Report, error) {
	w := newWalker(nil)
	return w.report(w.walkDir(dir, nil))
}

// report turns the outcome of a walk into a Report.
func (w *walker) report(err error) (Report, error) {
	r := Report{OK: err == nil, Entries: w.seq}
	if w.seq > 0 {
		r.Head = w.head
	}
	if err == nil {
		return r, nil
	}
	r.Error = err.Error()
	var ce *corruptError
	if errors.As(err, &ce) {
		r.Segment, r.Line, r.Seq = ce.segment, ce.line, ce.seq
		return r, fmt.Errorf("audit: verify: %w", err)
	}
	return r, err
}

// Read calls fn for every entry of the log in dir, in order, verifying
// each one as Verify does; it stops at the first damaged entry with an
// error wrapping ErrCorrupt, or at the first error from fn, which it
// returns unchanged. A final line still being written by a running Log
// (no trailing newline yet) is skipped.
func Read(dir string, fn func(Entry) error) error {
	w := newWalker(fn)
	w.allowTorn = true
	return w.walkDir(dir, nil)
}
