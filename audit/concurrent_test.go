package audit

import (
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestConcurrentAppend(t *testing.T) {
	t.Parallel()
	const writers, perWriter = 8, 150
	dir := t.TempDir()
	var hooked atomic.Int64
	l := openLog(t, dir, Options{
		SegmentMaxBytes: 8 << 10,
		SyncInterval:    time.Millisecond,
		OnAppend:        func(Entry) { hooked.Add(1) },
		Clock:           time.Now,
	})

	stop := make(chan struct{})
	verifyErr := make(chan error, 1)
	go func() { verifyErr <- verifyUntil(l, stop) }()

	var wg sync.WaitGroup
	for w := range writers {
		wg.Go(func() {
			for i := range perWriter {
				ev := Event{Type: "message.delivered", Agent: fmt.Sprintf("w%d", w), MessageID: fmt.Sprintf("%d/%d", w, i)}
				if _, err := l.Append(ev); err != nil {
					t.Errorf("Append: %v", err)
					return
				}
			}
		})
	}
	wg.Wait()
	close(stop)
	if err := <-verifyErr; err != nil {
		t.Fatalf("Verify during appends: %v", err)
	}

	const total = writers * perWriter
	if n, _ := l.Head(); n != total {
		t.Fatalf("Head = %d, want %d", n, total)
	}
	if got := hooked.Load(); got != total {
		t.Fatalf("OnAppend called %d times, want %d", got, total)
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	checkAllMessages(t, dir, writers, perWriter)
}

// verifyUntil runs Log.Verify repeatedly until stop is closed.
func verifyUntil(l *Log, stop <-chan struct{}) error {
	for {
		select {
		case <-stop:
			return nil
		default:
		}
		rep, err := l.Verify()
		if err != nil || !rep.OK {
			return fmt.Errorf("report %+v: %w", rep, err)
		}
	}
}

// checkAllMessages checks that the log holds every message exactly once.
func checkAllMessages(t *testing.T, dir string, writers, perWriter int) {
	t.Helper()
	rep, err := Verify(dir)
	if err != nil || !rep.OK || rep.Entries != uint64(writers*perWriter) {
		t.Fatalf("Verify = %+v, %v", rep, err)
	}
	seen := map[string]bool{}
	err = Read(dir, func(e Entry) error {
		if seen[e.Event.MessageID] {
			return fmt.Errorf("message %s logged twice", e.Event.MessageID)
		}
		seen[e.Event.MessageID] = true
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(seen) != writers*perWriter {
		t.Fatalf("Read saw %d messages, want %d", len(seen), writers*perWriter)
	}
	if nums, _ := listSegments(dir); len(nums) < 3 {
		t.Fatalf("only %d segments; the test should rotate", len(nums))
	}
}
