package audit

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// fixedClock returns a clock that advances one millisecond per call.
func fixedClock() func() time.Time {
	t := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	return func() time.Time {
		t = t.Add(time.Millisecond)
		return t
	}
}

// openLog opens a log in dir and closes it when the test ends.
func openLog(t *testing.T, dir string, opts Options) *Log {
	t.Helper()
	if opts.Clock == nil {
		opts.Clock = fixedClock()
	}
	l, err := Open(dir, opts)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { l.Close() })
	return l
}

// testEvent returns the i-th event of a test log.
func testEvent(i int) Event {
	return Event{
		Type:     "tool.call",
		Verdict:  "pass",
		Controls: []string{"OB-1.1"},
		Agent:    fmt.Sprintf("agent-%d", i),
		Attrs:    map[string]string{"i": fmt.Sprint(i)},
	}
}

// appendN appends n test events numbered from first.
func appendN(t *testing.T, l *Log, first, n int) []Entry {
	t.Helper()
	var out []Entry
	for i := first; i < first+n; i++ {
		e, err := l.Append(testEvent(i))
		if err != nil {
			t.Fatalf("Append %d: %v", i, err)
		}
		out = append(out, e)
	}
	return out
}

// writeLog writes a closed log of n entries to a new directory. With
// perSegment > 0, about that many entries go in each segment.
func writeLog(t *testing.T, n, perSegment int) string {
	t.Helper()
	dir := t.TempDir()
	opts := Options{}
	if perSegment > 0 {
		line := lineLen(t)
		opts.SegmentMaxBytes = int64(perSegment*line + line/2)
	}
	l := openLog(t, dir, opts)
	appendN(t, l, 1, n)
	if err := l.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	return dir
}

// lineLen returns the length of the first line of a test log.
func lineLen(t *testing.T) int {
	t.Helper()
	dir := t.TempDir()
	l := openLog(t, dir, Options{})
	appendN(t, l, 1, 1)
	l.Close()
	return len(readFile(t, filepath.Join(dir, segmentName(1))))
}

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func writeFile(t *testing.T, path string, b []byte) {
	t.Helper()
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

// lines returns the lines of segment n, each with its newline.
func lines(t *testing.T, dir string, n uint64) [][]byte {
	t.Helper()
	return bytes.SplitAfter(readFile(t, filepath.Join(dir, segmentName(n))), []byte("\n"))
}

// setLines replaces segment n with the given lines.
func setLines(t *testing.T, dir string, n uint64, ls [][]byte) {
	t.Helper()
	writeFile(t, filepath.Join(dir, segmentName(n)), bytes.Join(ls, nil))
}

// rehash recomputes a line's own hash after its body was edited, as a
// forger would. It is written independently of the package's encoder.
func rehash(line []byte) []byte {
	line = bytes.Clone(line)
	body := line[82 : len(line)-2] // drop "}\n"
	sum := sha256.Sum256(append([]byte("maso.audit.v1\n"), body...))
	hex.Encode(line[9:73], sum[:])
	return line
}

// lineHash returns the hash field of a line.
func lineHash(line []byte) string { return string(line[9:73]) }
