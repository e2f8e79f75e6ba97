package audit

import (
	"bytes"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestAppendReopenContinuesChain(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name       string
		perSegment int
	}{
		{"one segment", 0},
		{"rotating", 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			opts := Options{}
			if tc.perSegment > 0 {
				opts.SegmentMaxBytes = int64(tc.perSegment*lineLen(t) + 10)
			}
			l := openLog(t, dir, opts)
			first := appendN(t, l, 1, 5)
			n, head := l.Head()
			if n != 5 || head != first[4].Hash {
				t.Fatalf("Head = %d %s, want 5 %s", n, head, first[4].Hash)
			}
			if err := l.Close(); err != nil {
				t.Fatal(err)
			}

			l = openLog(t, dir, opts)
			if n2, head2 := l.Head(); n2 != n || head2 != head {
				t.Fatalf("Head after reopen = %d %s, want %d %s", n2, head2, n, head)
			}
			second := appendN(t, l, 6, 5)
			if second[0].Seq != 6 || second[0].Prev != head {
				t.Fatalf("first entry after reopen: seq %d prev %s, want 6 %s", second[0].Seq, second[0].Prev, head)
			}
			checkChain(t, dir, append(first, second...))
		})
	}
}

// checkChain verifies dir and checks that Read returns exactly want.
func checkChain(t *testing.T, dir string, want []Entry) {
	t.Helper()
	rep, err := Verify(dir)
	if err != nil || !rep.OK || rep.Entries != uint64(len(want)) || rep.Head != want[len(want)-1].Hash {
		t.Fatalf("Verify = %+v, %v; want ok with %d entries", rep, err, len(want))
	}
	var got []Entry
	if err := Read(dir, func(e Entry) error { got = append(got, e); return nil }); err != nil {
		t.Fatalf("Read: %v", err)
	}
	if len(got) != len(want) {
		t.Fatalf("Read returned %d entries, want %d", len(got), len(want))
	}
	prev := genesis
	for i, g := range got {
		w := want[i]
		if g.Seq != uint64(i+1) || g.Prev != prev || g.Hash != w.Hash || !g.Time.Equal(w.Time) || g.Event.Agent != w.Event.Agent {
			t.Fatalf("entry %d = %+v, want %+v with prev %s", i, g, w, prev)
		}
		prev = g.Hash
	}
}

func TestRotation(t *testing.T) {
	t.Parallel()
	dir := writeLog(t, 11, 3)
	nums, err := listSegments(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(nums) != 4 {
		t.Fatalf("segments = %v, want 4", nums)
	}
	for i, n := range nums {
		want := 3
		if i == 3 {
			want = 2
		}
		if got := len(lines(t, dir, n)) - 1; got != want {
			t.Errorf("segment %d has %d entries, want %d", n, got, want)
		}
	}
	rep, err := Verify(dir)
	if err != nil || !rep.OK || rep.Entries != 11 {
		t.Fatalf("Verify = %+v, %v", rep, err)
	}
}

func TestOpenResumesAfterEmptyLastSegment(t *testing.T) {
	t.Parallel()
	dir := writeLog(t, 6, 3)
	// A crash right after rotation created the next segment.
	writeFile(t, filepath.Join(dir, segmentName(3)), nil)
	l := openLog(t, dir, Options{})
	if n, _ := l.Head(); n != 6 {
		t.Fatalf("Head = %d, want 6", n)
	}
	e := appendN(t, l, 7, 1)[0]
	if e.Seq != 7 {
		t.Fatalf("seq = %d, want 7", e.Seq)
	}
	if got := len(lines(t, dir, 3)); got != 2 {
		t.Fatalf("segment 3 has %d lines, want the new entry", got-1)
	}
	if rep, err := l.Verify(); err != nil || !rep.OK || rep.Entries != 7 {
		t.Fatalf("Verify = %+v, %v", rep, err)
	}
}

func TestOpenTruncatesTornTail(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name       string
		perSegment int
		torn       uint64 // segment that gets the torn line
	}{
		{"mid segment", 0, 1},
		{"alone in new segment", 2, 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := writeLog(t, 4, tc.perSegment)
			path := filepath.Join(dir, segmentName(tc.torn))
			full := lines(t, dir, 1)[0]
			f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
			if err != nil {
				t.Fatal(err)
			}
			f.Write(full[:len(full)/2])
			f.Close()

			rep, err := Verify(dir)
			if !errors.Is(err, ErrCorrupt) || rep.OK || !strings.Contains(rep.Error, "torn entry") {
				t.Fatalf("Verify before Open = %+v, %v; want torn entry", rep, err)
			}
			var logs bytes.Buffer
			l := openLog(t, dir, Options{Logger: slog.New(slog.NewTextHandler(&logs, nil))})
			if !strings.Contains(logs.String(), "truncated torn final entry") {
				t.Fatalf("no warning logged: %q", logs.String())
			}
			if n, _ := l.Head(); n != 4 {
				t.Fatalf("Head = %d, want 4", n)
			}
			appendN(t, l, 5, 1)
			if rep, err := l.Verify(); err != nil || !rep.OK || rep.Entries != 5 {
				t.Fatalf("Verify = %+v, %v", rep, err)
			}
		})
	}
}

func TestAppendAfterClose(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	l := openLog(t, dir, Options{})
	appendN(t, l, 1, 2)
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := l.Append(testEvent(3)); !errors.Is(err, ErrClosed) {
		t.Fatalf("Append after Close = %v, want ErrClosed", err)
	}
	if err := l.Close(); err != nil {
		t.Fatalf("second Close = %v", err)
	}
	if rep, err := l.Verify(); err != nil || !rep.OK || rep.Entries != 2 {
		t.Fatalf("Verify after Close = %+v, %v", rep, err)
	}
}

func TestOpenLocked(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	l := openLog(t, dir, Options{})
	if _, err := Open(dir, Options{}); !errors.Is(err, ErrLocked) {
		t.Fatalf("second Open = %v, want ErrLocked", err)
	}
	l.Close()
	l2 := openLog(t, dir, Options{})
	l2.Close()
}

func TestAppendRejects(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		clock func() time.Time
		ev    Event
	}{
		{"empty type", nil, Event{Verdict: "pass"}},
		{"time out of range", func() time.Time { return time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC) }, testEvent(1)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			l := openLog(t, t.TempDir(), Options{Clock: tc.clock})
			if _, err := l.Append(tc.ev); !errors.Is(err, ErrInvalidEvent) {
				t.Fatalf("Append = %v, want ErrInvalidEvent", err)
			}
			if n, head := l.Head(); n != 0 || head != "" {
				t.Fatalf("Head = %d %q, want empty", n, head)
			}
		})
	}
}

func TestOnAppendOncePerEntry(t *testing.T) {
	t.Parallel()
	var seen []Entry
	l := openLog(t, t.TempDir(), Options{OnAppend: func(e Entry) { seen = append(seen, e) }})
	ev := testEvent(1)
	got, err := l.Append(ev)
	if err != nil {
		t.Fatal(err)
	}
	ev.Attrs["i"] = "changed after Append"
	appendN(t, l, 2, 2)
	if len(seen) != 3 {
		t.Fatalf("OnAppend called %d times, want 3", len(seen))
	}
	for i, e := range seen {
		if e.Seq != uint64(i+1) {
			t.Fatalf("OnAppend call %d got seq %d", i, e.Seq)
		}
	}
	if seen[0].Hash != got.Hash || seen[0].Event.Attrs["i"] != "1" {
		t.Fatalf("OnAppend entry %+v differs from returned %+v", seen[0], got)
	}
	if _, err := l.Append(Event{}); err == nil || len(seen) != 3 {
		t.Fatalf("failed Append: err %v, OnAppend calls %d", err, len(seen))
	}
}

func TestEntryTimeIsUTC(t *testing.T) {
	t.Parallel()
	zone := time.FixedZone("X", 5*3600)
	at := time.Date(2026, 3, 1, 17, 0, 0, 123, zone)
	dir := t.TempDir()
	l := openLog(t, dir, Options{Clock: func() time.Time { return at }})
	e := appendN(t, l, 1, 1)[0]
	if e.Time.Location() != time.UTC || !e.Time.Equal(at) {
		t.Fatalf("Time = %v, want %v in UTC", e.Time, at)
	}
	l.Close()
	checkChain(t, dir, []Entry{e})
}

func TestSyncEveryAppend(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	l := openLog(t, dir, Options{SyncInterval: -1, SegmentMaxBytes: 1})
	want := appendN(t, l, 1, 3)
	if nums, _ := listSegments(dir); len(nums) != 3 {
		t.Fatalf("segments = %v, want one entry each", nums)
	}
	l.Close()
	checkChain(t, dir, want)
}

func TestFailedWriteStopsTheLog(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	l := openLog(t, dir, Options{})
	want := appendN(t, l, 1, 2)
	// Make the next write and the truncate that undoes it both fail.
	l.mu.Lock()
	l.f.Close()
	l.mu.Unlock()
	_, err := l.Append(testEvent(3))
	if err == nil {
		t.Fatal("Append on a failed segment succeeded")
	}
	if _, err2 := l.Append(testEvent(4)); err2 == nil || err2.Error() != err.Error() {
		t.Fatalf("second Append = %v, want the same sticky error %v", err2, err)
	}
	if n, head := l.Head(); n != 2 || head != want[1].Hash {
		t.Fatalf("Head = %d %s, want 2 %s", n, head, want[1].Hash)
	}
	l.Close()
	checkChain(t, dir, want)
}
