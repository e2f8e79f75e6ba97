package audit

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
)

// chain is the verified state after the last good entry.
type chain struct {
	seq  uint64 // seq of the last verified entry; 0 before the first
	head string // hash of the last verified entry; genesis before the first
}

// walker checks entries in order against the chain and hands each
// verified entry to fn.
type walker struct {
	chain
	// allowTorn lets the last segment end with a line that has no
	// newline (an append in progress); the walk stops before it.
	allowTorn bool
	fn        func(Entry) error
	buf       []byte
}

func newWalker(fn func(Entry) error) *walker {
	return &walker{chain: chain{head: genesis}, fn: fn}
}

// snapshot bounds a walk to what a live Log had written at one instant.
type snapshot struct {
	segment uint64 // last segment number
	size    int64  // bytes of the last segment
	chain          // seq and head after the last entry written
}

// walkDir walks every segment of dir in order. With a snapshot, it stops
// at the snapshot's end and checks that the chain ends where the Log
// says it does.
func (w *walker) walkDir(dir string, snap *snapshot) error {
	nums, err := listSegments(dir)
	if err != nil {
		return err
	}
	if snap != nil {
		nums = nums[:countUpTo(nums, snap.segment)]
		if uint64(len(nums)) < snap.segment {
			nums = append(nums, snap.segment) // reported missing below
		}
	}
	for i, n := range nums {
		if want := uint64(i) + 1; n != want {
			return &corruptError{segment: segmentName(want), seq: w.seq + 1, msg: "missing"}
		}
		limit := int64(-1)
		if snap != nil && n == snap.segment {
			limit = snap.size
		}
		if err := w.walkFile(dir, n, limit, i == len(nums)-1); err != nil {
			return err
		}
	}
	if snap != nil {
		return w.checkEnd(snap)
	}
	return nil
}

// countUpTo returns how many of the ascending nums are <= n.
func countUpTo(nums []uint64, n uint64) int {
	for i, v := range nums {
		if v > n {
			return i
		}
	}
	return len(nums)
}

// walkFile walks one segment file, reading at most limit bytes when limit
// is not negative.
func (w *walker) walkFile(dir string, n uint64, limit int64, last bool) error {
	name := segmentName(n)
	f, err := os.Open(segmentPath(dir, n))
	if errors.Is(err, os.ErrNotExist) {
		return &corruptError{segment: name, seq: w.seq + 1, msg: "missing"}
	}
	if err != nil {
		return fmt.Errorf("audit: open segment: %w", err)
	}
	defer f.Close()
	var r io.Reader = f
	if limit >= 0 {
		r = io.LimitReader(f, limit)
	}
	return w.walkSegment(name, r, last)
}

// walkSegment checks every line of one segment.
func (w *walker) walkSegment(name string, r io.Reader, last bool) error {
	br := bufio.NewReaderSize(r, 64<<10)
	for line := 1; ; line++ {
		b, err := readLine(br, w.buf)
		w.buf = b
		switch {
		case errors.Is(err, io.EOF) && len(b) == 0:
			if line == 1 && !last {
				return &corruptError{segment: name, seq: w.seq + 1, msg: "is empty (segment truncated)"}
			}
			return nil
		case errors.Is(err, io.EOF):
			if last && w.allowTorn {
				return nil
			}
			return w.problem(name, line, w.seq+1, "torn entry: no trailing newline (crash mid-write, or segment truncated)")
		case err != nil:
			return fmt.Errorf("audit: read segment %s: %w", name, err)
		}
		if err := w.entry(name, line, b[:len(b)-1]); err != nil {
			return err
		}
	}
}

func (w *walker) problem(name string, line int, seq uint64, msg string) error {
	return &corruptError{segment: name, line: line, seq: seq, msg: msg}
}

// entry checks one line (without its newline), advances the chain and
// calls fn. Errors from fn are returned unchanged.
func (w *walker) entry(name string, line int, b []byte) error {
	e, err := w.check(b)
	if err != nil {
		var ce *corruptError
		if errors.As(err, &ce) {
			ce.segment, ce.line = name, line
		}
		return err
	}
	w.seq, w.head = e.Seq, e.Hash
	if w.fn == nil {
		return nil
	}
	return w.fn(e)
}

// check verifies one line against the chain state. Problems are returned
// as a *corruptError without a location.
func (w *walker) check(b []byte) (Entry, error) {
	e, ce := parseEntry(b, w.seq+1)
	if ce != nil {
		return Entry{}, ce
	}
	if e.Seq != w.seq+1 {
		return Entry{}, &corruptError{seq: e.Seq, msg: seqMessage(e.Seq, w.seq)}
	}
	if e.Prev != w.head {
		return Entry{}, &corruptError{seq: e.Seq, msg: prevMessage(w.seq)}
	}
	return e, nil
}

// parseEntry checks one line on its own: its framing, that its hash
// matches its body, and that the body decodes. next is the seq reported
// for a line whose own seq cannot be read.
func parseEntry(b []byte, next uint64) (Entry, *corruptError) {
	hx, raw, err := frame(b)
	if err != nil {
		return Entry{}, &corruptError{seq: next, msg: "malformed entry: " + err.Error()}
	}
	if !hashMatches(hx, raw) {
		return Entry{}, &corruptError{seq: claimedSeq(raw, next), msg: "hash mismatch (entry changed)"}
	}
	bd, err := decodeBody(raw)
	if err != nil {
		return Entry{}, &corruptError{seq: next, msg: "malformed entry: " + err.Error()}
	}
	return Entry{Seq: bd.Seq, Time: bd.Time, Prev: bd.Prev, Hash: string(hx), Event: bd.Event}, nil
}

func seqMessage(got, prev uint64) string {
	if got > prev+1 {
		return fmt.Sprintf("seq %d follows %d (entry removed or reordered)", got, prev)
	}
	return fmt.Sprintf("seq %d follows %d (entry inserted, duplicated or reordered)", got, prev)
}

func prevMessage(prev uint64) string {
	if prev == 0 {
		return "prev hash is not the genesis hash (entry inserted or log start removed)"
	}
	return fmt.Sprintf("prev hash does not match entry %d (entry removed or reordered, or entry %d rewritten)", prev, prev)
}

// checkEnd compares the end of a walk with the Log's own record of its
// head, which catches entries removed from, or rewritten at, the end.
func (w *walker) checkEnd(snap *snapshot) error {
	name := segmentName(snap.segment)
	switch {
	case w.seq != snap.seq:
		return &corruptError{segment: name, seq: w.seq + 1, msg: fmt.Sprintf(
			"ends at seq %d but the open log has written %d entries (entries removed from the end)", w.seq, snap.seq)}
	case w.head != snap.head:
		return &corruptError{segment: name, seq: w.seq, msg: fmt.Sprintf(
			"last entry %d does not match the open log's head (entry rewritten)", w.seq)}
	}
	return nil
}
