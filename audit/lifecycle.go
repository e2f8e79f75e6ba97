package audit

import (
	"errors"
	"fmt"
	"io"
	"os"
	"time"
)

// Open opens the log in dir for appending, creating dir (mode 0700) and
// its first segment if needed.
//
// An existing log is resumed from its last segment: a final line with no
// trailing newline (a crash mid-write) is truncated away with a warning to
// Options.Logger, then the last segment and its link to the previous
// segment's last entry are verified. If they fail, Open returns an error
// wrapping ErrCorrupt that names the first damaged entry of the log; it
// never continues a broken chain. Open does not read the earlier
// segments; use Verify for that.
//
// Only one Log may have a directory open at a time; a second Open returns
// ErrLocked.
func Open(dir string, opts Options) (*Log, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("audit: create dir: %w", err)
	}
	lock, err := lockDir(dir)
	if err != nil {
		return nil, err
	}
	l := &Log{dir: dir, opts: opts.withDefaults(), lock: lock, enc: newEncoder()}
	if err := l.resume(); err != nil {
		lock.Close()
		return nil, fmt.Errorf("audit: open %s: %w", dir, err)
	}
	l.stop, l.done = make(chan struct{}), make(chan struct{})
	go l.syncLoop(l.opts.SyncInterval)
	return l, nil
}

// resume finds the end of the chain and opens the segment to append to.
func (l *Log) resume() error {
	nums, err := listSegments(l.dir)
	if err != nil {
		return err
	}
	if len(nums) == 0 {
		f, err := createSegment(l.dir, 1)
		if err != nil {
			return err
		}
		l.f, l.segment, l.chain = f, 1, chain{head: genesis}
		return nil
	}
	if err := missingSegment(nums); err != nil {
		return l.firstProblem(err)
	}
	last := nums[len(nums)-1]
	f, size, err := openSegment(l.dir, last)
	if err != nil {
		return err
	}
	l.f, l.segment = f, last
	if err := l.recoverTail(size); err != nil {
		f.Close()
		return err
	}
	return nil
}

// recoverTail truncates a torn final line, then verifies the last
// segment and sets the chain state from it.
func (l *Log) recoverTail(size int64) error {
	path := l.f.Name()
	r, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("audit: open segment: %w", err)
	}
	defer r.Close()
	keep, err := tornTail(r, size)
	if err != nil {
		return err
	}
	if keep < size {
		if err := l.truncateTorn(keep, size); err != nil {
			return err
		}
	}
	l.size = keep
	return l.verifyTail(r, keep)
}

func (l *Log) truncateTorn(keep, size int64) error {
	if err := l.f.Truncate(keep); err != nil {
		return fmt.Errorf("audit: truncate torn entry: %w", err)
	}
	if err := l.f.Sync(); err != nil {
		return fmt.Errorf("audit: truncate torn entry: %w", err)
	}
	l.opts.Logger.Warn("audit: truncated torn final entry (crash mid-write)",
		"segment", segmentName(l.segment), "offset", keep, "bytes", size-keep)
	return nil
}

// verifyTail checks the last segment, starting from the last entry of the
// segment before it.
func (l *Log) verifyTail(r *os.File, size int64) error {
	w := newWalker(nil)
	if l.segment > 1 {
		base, err := l.previousEntry()
		if err != nil {
			return l.firstProblem(err)
		}
		w.chain = chain{seq: base.Seq, head: base.Hash}
	}
	name := segmentName(l.segment)
	if err := w.walkSegment(name, io.NewSectionReader(r, 0, size), true); err != nil {
		return l.firstProblem(err)
	}
	l.chain = w.chain
	return nil
}

// previousEntry reads and checks the hash of the last entry of the
// segment before the current one.
func (l *Log) previousEntry() (Entry, error) {
	prev := l.segment - 1
	f, err := os.Open(segmentPath(l.dir, prev))
	if err != nil {
		return Entry{}, fmt.Errorf("audit: open segment: %w", err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return Entry{}, fmt.Errorf("audit: stat segment: %w", err)
	}
	line, err := lastLine(f, fi.Size())
	if err != nil {
		return Entry{}, &corruptError{segment: segmentName(prev), msg: "has no complete last entry: " + err.Error()}
	}
	e, ce := parseEntry(line, 0)
	if ce != nil {
		return Entry{}, &corruptError{segment: segmentName(prev), seq: ce.seq, msg: "last entry damaged: " + ce.msg}
	}
	return e, nil
}

// firstProblem turns a failed tail check into the first problem of the
// whole log, so that the error names an exact entry. If a full walk finds
// nothing (it cannot see what the tail check saw), cause is returned.
func (l *Log) firstProblem(cause error) error {
	var ce *corruptError
	if !errors.As(cause, &ce) {
		return cause
	}
	if err := newWalker(nil).walkDir(l.dir, nil); errors.As(err, &ce) {
		return err
	}
	return cause
}

// syncLoop fsyncs written entries every interval until Close.
func (l *Log) syncLoop(interval time.Duration) {
	defer close(l.done)
	if interval < 0 {
		<-l.stop
		return
	}
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-l.stop:
			return
		case <-t.C:
			l.syncPeriodic()
		}
	}
}

// syncPeriodic fsyncs the current segment without holding the lock, so
// Appends continue meanwhile. A segment closed by a concurrent rotation
// was already fsynced.
func (l *Log) syncPeriodic() {
	l.mu.Lock()
	f, dirty := l.f, l.dirty
	l.dirty = false
	l.mu.Unlock()
	if !dirty || f == nil {
		return
	}
	err := f.Sync()
	if err == nil || errors.Is(err, os.ErrClosed) {
		return
	}
	l.opts.Logger.Error("audit: fsync failed", "dir", l.dir, "err", err)
	l.mu.Lock()
	l.dirty = true
	if l.syncErr == nil {
		l.syncErr = fmt.Errorf("audit: fsync segment: %w", err)
	}
	l.mu.Unlock()
}

// Close flushes and fsyncs the log and releases its directory. Later
// Appends return ErrClosed; a second Close returns nil.
func (l *Log) Close() error {
	l.mu.Lock()
	if l.closed {
		l.mu.Unlock()
		return nil
	}
	l.closed = true
	l.mu.Unlock()
	close(l.stop)
	<-l.done

	l.mu.Lock()
	defer l.mu.Unlock()
	errs := []error{l.syncErr}
	if l.failed == nil {
		errs = append(errs, l.syncLocked())
	}
	if err := l.f.Close(); err != nil {
		errs = append(errs, fmt.Errorf("audit: close segment: %w", err))
	}
	l.f = nil
	errs = append(errs, l.lock.Close())
	return errors.Join(errs...)
}
