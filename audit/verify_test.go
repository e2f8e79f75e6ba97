package audit

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestReportJSON(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		rep  Report
		want string
	}{
		{"ok", Report{OK: true, Entries: 2, Head: "ab"}, `{"ok":true,"entries":2,"head":"ab"}`},
		{"empty", Report{OK: true}, `{"ok":true,"entries":0,"head":""}`},
		{"ok drops location", Report{OK: true, Entries: 1, Head: "ab", Line: 3}, `{"ok":true,"entries":1,"head":"ab"}`},
		{"failed", Report{Entries: 4, Head: "ab", Error: "segment 00000002.log missing", Segment: "00000002.log", Seq: 5},
			`{"ok":false,"entries":4,"head":"ab","error":"segment 00000002.log missing","segment":"00000002.log","line":0,"seq":5}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := json.Marshal(tc.rep)
			if err != nil || string(got) != tc.want {
				t.Fatalf("Marshal = %s, %v; want %s", got, err, tc.want)
			}
		})
	}
}

func TestVerifyDirStates(t *testing.T) {
	t.Parallel()
	empty := t.TempDir()
	if rep, err := Verify(empty); err != nil || !rep.OK || rep.Entries != 0 || rep.Head != "" {
		t.Fatalf("Verify(empty dir) = %+v, %v", rep, err)
	}
	fresh := t.TempDir()
	openLog(t, fresh, Options{}).Close()
	if rep, err := Verify(fresh); err != nil || !rep.OK || rep.Entries != 0 || rep.Head != "" {
		t.Fatalf("Verify(new log) = %+v, %v", rep, err)
	}
	rep, err := Verify(filepath.Join(empty, "absent"))
	if err == nil || errors.Is(err, ErrCorrupt) || rep.OK || rep.Error == "" {
		t.Fatalf("Verify(missing dir) = %+v, %v; want an I/O error", rep, err)
	}
}

// TestLiveVerifyCatchesTailLoss covers what a chain alone cannot show:
// entries cut from the end, or the last entry rewritten with a fresh
// hash, still form a valid chain on disk, but the open Log knows its head.
func TestLiveVerifyCatchesTailLoss(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name    string
		tamper  func(t *testing.T, dir string)
		entries uint64 // what Verify(dir) still accepts
		msg     string
	}{
		{"last entry removed", func(t *testing.T, dir string) { removeLine(t, dir, 1, 5) },
			4, "ends at seq 4 but the open log has written 5 entries"},
		{"last entry rewritten", func(t *testing.T, dir string) {
			editLine(t, dir, 1, 5, func(l []byte) []byte { return rehash(bytes.Replace(l, []byte("agent-5"), []byte("agent-X"), 1)) })
		}, 5, "does not match the open log's head"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			l := openLog(t, dir, Options{})
			appendN(t, l, 1, 5)
			tc.tamper(t, dir)
			if rep, err := Verify(dir); err != nil || !rep.OK || rep.Entries != tc.entries {
				t.Fatalf("Verify(dir) = %+v, %v; a chain alone should accept this", rep, err)
			}
			rep, err := l.Verify()
			if !errors.Is(err, ErrCorrupt) || rep.OK || !strings.Contains(rep.Error, tc.msg) {
				t.Fatalf("Log.Verify = %+v, %v; want %q", rep, err, tc.msg)
			}
		})
	}
}

func TestOpenRefusesBrokenTail(t *testing.T) {
	t.Parallel()
	// Logs of 12 entries, 3 per segment (segment 4 holds seq 10-12).
	for _, tc := range []struct {
		name   string
		tamper func(t *testing.T, dir string)
		want   string // error text; "" when Open must succeed
	}{
		{"change before the tail", tamperCases[0].tamper, ""},
		{"change in last segment", func(t *testing.T, dir string) {
			editLine(t, dir, 4, 2, func(l []byte) []byte { return bytes.Replace(l, []byte("agent-11"), []byte("agent-XX"), 1) })
		}, "segment 00000004.log line 2 (seq 11): hash mismatch (entry changed)"},
		{"last entry of previous segment rewritten", func(t *testing.T, dir string) {
			editLine(t, dir, 3, 3, func(l []byte) []byte { return rehash(bytes.Replace(l, []byte("agent-9"), []byte("agent-X"), 1)) })
		}, "segment 00000004.log line 1 (seq 10): prev hash does not match entry 9"},
		{"last entry of previous segment changed", func(t *testing.T, dir string) {
			editLine(t, dir, 3, 3, func(l []byte) []byte { return bytes.Replace(l, []byte("agent-9"), []byte("agent-X"), 1) })
		}, "segment 00000003.log line 3 (seq 9): hash mismatch"},
		{"entry removed in last segment", func(t *testing.T, dir string) { removeLine(t, dir, 4, 1) },
			"segment 00000004.log line 1 (seq 11): seq 11 follows 9"},
		{"middle segment missing", func(t *testing.T, dir string) { removeSegment(t, dir, 2) },
			"segment 00000002.log missing"},
		{"previous segment empty", func(t *testing.T, dir string) { setLines(t, dir, 3, nil) },
			"segment 00000003.log is empty"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := writeLog(t, 12, 3)
			tc.tamper(t, dir)
			l, err := Open(dir, Options{})
			if tc.want == "" {
				// Open reads only the tail; earlier damage is left to Verify.
				if err != nil {
					t.Fatalf("Open = %v, want success", err)
				}
				l.Close()
				return
			}
			if !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Open = %v\nwant ErrCorrupt naming %q", err, tc.want)
			}
		})
	}
}

func TestReadStopsOnCallbackError(t *testing.T) {
	t.Parallel()
	dir := writeLog(t, 5, 0)
	stop := errors.New("stop")
	var n int
	err := Read(dir, func(e Entry) error {
		n++
		if e.Seq == 3 {
			return stop
		}
		return nil
	})
	if err != stop || n != 3 {
		t.Fatalf("Read = %v after %d entries, want the callback's error after 3", err, n)
	}
}

func TestReadSkipsEntryBeingWritten(t *testing.T) {
	t.Parallel()
	dir := writeLog(t, 3, 0)
	path := filepath.Join(dir, segmentName(1))
	b := readFile(t, path)
	writeFile(t, path, append(b, b[:len(b)/6]...))
	var n int
	if err := Read(dir, func(Entry) error { n++; return nil }); err != nil || n != 3 {
		t.Fatalf("Read = %v with %d entries, want 3", err, n)
	}
	if rep, err := Verify(dir); !errors.Is(err, ErrCorrupt) || rep.Line != 4 {
		t.Fatalf("Verify = %+v, %v; want a torn entry at line 4", rep, err)
	}
}

func TestVerifyIgnoresOtherFiles(t *testing.T) {
	t.Parallel()
	dir := writeLog(t, 3, 0)
	for _, name := range []string{"notes.txt", "000000002.log", "2.log", "00000002.log.bak"} {
		writeFile(t, filepath.Join(dir, name), []byte("x"))
	}
	if err := os.Mkdir(filepath.Join(dir, segmentName(2)), 0o700); err != nil {
		t.Fatal(err)
	}
	if rep, err := Verify(dir); err != nil || !rep.OK || rep.Entries != 3 {
		t.Fatalf("Verify = %+v, %v", rep, err)
	}
}
