package audit

import (
	"errors"
	"fmt"
)

// Errors returned by the audit functions. Callers match them with
// errors.Is; the returned error wraps them with the details.
var (
	// ErrClosed reports an Append (or another write) on a Log after Close.
	ErrClosed = errors.New("audit: log closed")
	// ErrCorrupt reports an on-disk log that fails verification (OB-1.1,
	// OB-2.1): a changed, removed, inserted or reordered entry, or a
	// missing or truncated segment. The wrapping error names the segment,
	// line and sequence number of the first problem.
	ErrCorrupt = errors.New("audit: log corrupt")
	// ErrInvalidEvent reports an Event that cannot be logged: it has no
	// Type, or the clock gave a time outside years 0-9999.
	ErrInvalidEvent = errors.New("audit: invalid event")
	// ErrLocked reports a log directory already opened for writing by
	// another Log, in this process or another one.
	ErrLocked = errors.New("audit: log directory in use")
)

// corruptError locates the first verification problem in a log. It wraps
// ErrCorrupt.
type corruptError struct {
	segment string // segment file name, e.g. "00000003.log"
	line    int    // 1-based line in the segment; 0 for whole-segment problems
	seq     uint64 // seq the line claims, or the one expected there
	msg     string // what is wrong and its likely cause
}

func (e *corruptError) Error() string {
	if e.line == 0 {
		return fmt.Sprintf("segment %s %s", e.segment, e.msg)
	}
	return fmt.Sprintf("segment %s line %d (seq %d): %s", e.segment, e.line, e.seq, e.msg)
}

func (e *corruptError) Unwrap() error { return ErrCorrupt }
