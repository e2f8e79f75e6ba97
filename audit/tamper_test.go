package audit

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestVerifyDetectsEveryByteChange(t *testing.T) {
	t.Parallel()
	src := writeLog(t, 5, 2) // segments of 2, 2 and 1 entries
	nums, err := listSegments(src)
	if err != nil || len(nums) != 3 {
		t.Fatalf("segments = %v, %v", nums, err)
	}
	for _, n := range nums {
		t.Run(fmt.Sprintf("segment %d", n), func(t *testing.T) {
			t.Parallel()
			flipEveryByte(t, copyLog(t, src), n)
		})
	}
}

// flipEveryByte changes each byte of segment n in turn and checks that
// Verify reports the line holding it. The change rotates through a low
// bit (a hex digit stays a hex digit), the ASCII case bit and the high
// bit (invalid UTF-8).
func flipEveryByte(t *testing.T, dir string, n uint64) {
	path := filepath.Join(dir, segmentName(n))
	orig := readFile(t, path)
	masks := []byte{0x01, 0x20, 0x80}
	for off := range orig {
		mask := masks[off%len(masks)]
		flipped := bytes.Clone(orig)
		flipped[off] ^= mask
		writeFile(t, path, flipped)
		rep, err := Verify(dir)
		wantLine := 1 + bytes.Count(orig[:off], []byte("\n"))
		if rep.OK || !errors.Is(err, ErrCorrupt) || rep.Segment != segmentName(n) || rep.Line != wantLine {
			t.Fatalf("byte %d ^%#x: report %+v, err %v; want failure at line %d", off, mask, rep, err, wantLine)
		}
	}
	writeFile(t, path, orig)
	if rep, err := Verify(dir); err != nil || !rep.OK {
		t.Fatalf("restored log: %+v, %v", rep, err)
	}
}

// copyLog copies the segment files of src to a new directory.
func copyLog(t *testing.T, src string) string {
	t.Helper()
	dst := t.TempDir()
	nums, err := listSegments(src)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range nums {
		writeFile(t, filepath.Join(dst, segmentName(n)), readFile(t, filepath.Join(src, segmentName(n))))
	}
	return dst
}

// tamperCase edits a closed log of 12 entries, 3 per segment (segments
// 1-4 hold seq 1-3, 4-6, 7-9, 10-12), and names the expected finding.
type tamperCase struct {
	name    string
	tamper  func(t *testing.T, dir string)
	segment uint64
	line    int
	seq     uint64
	entries uint64 // verified prefix
	msg     string
}

var tamperCases = []tamperCase{
	{"change field", func(t *testing.T, dir string) {
		editLine(t, dir, 2, 2, func(l []byte) []byte { return bytes.Replace(l, []byte("agent-5"), []byte("agent-X"), 1) })
	}, 2, 2, 5, 4, "hash mismatch (entry changed)"},
	{"change field and rehash", func(t *testing.T, dir string) {
		editLine(t, dir, 2, 2, func(l []byte) []byte {
			return rehash(bytes.Replace(l, []byte(`"pass"`), []byte(`"block"`), 1))
		})
	}, 2, 3, 6, 5, "prev hash does not match entry 5"},
	{"change last entry of segment and rehash", func(t *testing.T, dir string) {
		editLine(t, dir, 2, 3, func(l []byte) []byte { return rehash(bytes.Replace(l, []byte("agent-6"), []byte("agent-X"), 1)) })
	}, 3, 1, 7, 6, "prev hash does not match entry 6"},
	{"remove entry", func(t *testing.T, dir string) { removeLine(t, dir, 2, 2) },
		2, 2, 6, 4, "seq 6 follows 4 (entry removed"},
	{"remove first entry", func(t *testing.T, dir string) { removeLine(t, dir, 1, 1) },
		1, 1, 2, 0, "seq 2 follows 0"},
	{"swap entries", func(t *testing.T, dir string) {
		ls := lines(t, dir, 2)
		ls[0], ls[1] = ls[1], ls[0]
		setLines(t, dir, 2, ls)
	}, 2, 1, 5, 3, "seq 5 follows 3"},
	{"duplicate entry", func(t *testing.T, dir string) {
		ls := lines(t, dir, 2)
		setLines(t, dir, 2, append(ls[:2:2], ls[1:]...))
	}, 2, 3, 5, 5, "seq 5 follows 5 (entry inserted, duplicated"},
	{"insert forged entry", func(t *testing.T, dir string) {
		ls := lines(t, dir, 2)
		forged := rehash(bytes.Replace(ls[1], []byte("agent-5"), []byte("agent-X"), 1))
		setLines(t, dir, 2, append(ls[:2:2], append([][]byte{forged}, ls[2:]...)...))
	}, 2, 3, 5, 5, "seq 5 follows 5"},
	{"malformed line", func(t *testing.T, dir string) {
		editLine(t, dir, 3, 2, func([]byte) []byte { return []byte("{\"hash\":\"oops\"}\n") })
	}, 3, 2, 8, 7, "malformed entry"},
	{"invalid body with valid hash", func(t *testing.T, dir string) {
		editLine(t, dir, 1, 3, func(l []byte) []byte { return rehash(bytes.Replace(l, []byte(`"seq":3`), []byte(`"seq":"3"`), 1)) })
	}, 1, 3, 3, 2, "malformed entry: json"},
	{"remove middle segment", func(t *testing.T, dir string) { removeSegment(t, dir, 2) },
		2, 0, 4, 3, "segment 00000002.log missing"},
	{"remove first segment", func(t *testing.T, dir string) { removeSegment(t, dir, 1) },
		1, 0, 1, 0, "segment 00000001.log missing"},
	{"segment after a gap", func(t *testing.T, dir string) {
		writeFile(t, filepath.Join(dir, segmentName(6)), lines(t, dir, 4)[0])
	}, 5, 0, 13, 12, "segment 00000005.log missing"},
	{"empty middle segment", func(t *testing.T, dir string) { setLines(t, dir, 3, nil) },
		3, 0, 7, 6, "segment 00000003.log is empty"},
	{"truncate middle segment at entry", func(t *testing.T, dir string) { removeLine(t, dir, 2, 3) },
		3, 1, 7, 5, "seq 7 follows 5"},
	{"truncate middle segment mid-entry", func(t *testing.T, dir string) {
		path := filepath.Join(dir, segmentName(2))
		b := readFile(t, path)
		writeFile(t, path, b[:len(b)-40])
	}, 2, 3, 6, 5, "torn entry"},
	{"swap segment files", func(t *testing.T, dir string) {
		a, b := filepath.Join(dir, segmentName(2)), filepath.Join(dir, segmentName(3))
		ab, bb := readFile(t, a), readFile(t, b)
		writeFile(t, a, bb)
		writeFile(t, b, ab)
	}, 2, 1, 7, 3, "seq 7 follows 3"},
}

func TestVerifyLocatesTampering(t *testing.T) {
	t.Parallel()
	for _, tc := range tamperCases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := writeLog(t, 12, 3)
			tc.tamper(t, dir)
			rep, err := Verify(dir)
			if !errors.Is(err, ErrCorrupt) || rep.OK {
				t.Fatalf("Verify = %+v, %v; want ErrCorrupt", rep, err)
			}
			if rep.Segment != segmentName(tc.segment) || rep.Line != tc.line || rep.Seq != tc.seq || !strings.Contains(rep.Error, tc.msg) {
				t.Fatalf("report %+v\nwant segment %s line %d seq %d error containing %q",
					rep, segmentName(tc.segment), tc.line, tc.seq, tc.msg)
			}
			if rep.Entries != tc.entries {
				t.Fatalf("verified prefix = %d entries, want %d", rep.Entries, tc.entries)
			}
			if err := Read(dir, func(Entry) error { return nil }); !errors.Is(err, ErrCorrupt) {
				t.Fatalf("Read = %v, want ErrCorrupt", err)
			}
		})
	}
}

func editLine(t *testing.T, dir string, seg uint64, line int, edit func([]byte) []byte) {
	t.Helper()
	ls := lines(t, dir, seg)
	ls[line-1] = edit(ls[line-1])
	setLines(t, dir, seg, ls)
}

func removeLine(t *testing.T, dir string, seg uint64, line int) {
	t.Helper()
	ls := lines(t, dir, seg)
	setLines(t, dir, seg, append(ls[:line-1:line-1], ls[line:]...))
}

func removeSegment(t *testing.T, dir string, seg uint64) {
	t.Helper()
	if err := os.Remove(filepath.Join(dir, segmentName(seg))); err != nil {
		t.Fatal(err)
	}
}
