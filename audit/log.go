package audit

import (
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"time"
)

// Defaults for Options.
const (
	DefaultSegmentMaxBytes = 64 << 20
	DefaultSyncInterval    = time.Second
)

// Options configures a Log. The zero value is usable.
type Options struct {
	// SegmentMaxBytes is the size beyond which the log rotates to a new
	// segment file; 0 means DefaultSegmentMaxBytes. An entry larger than
	// this gets a segment of its own.
	SegmentMaxBytes int64
	// SyncInterval is how often written entries are fsynced; 0 means
	// DefaultSyncInterval, a negative value fsyncs inside every Append.
	// Every Append writes its entry to the file (one write(2)) before it
	// returns, so a process crash loses nothing; the interval bounds what
	// a power failure can lose.
	SyncInterval time.Duration
	// Clock returns the time stamped on each entry; nil means time.Now.
	Clock func() time.Time
	// OnAppend, if set, is called with each entry after it is appended,
	// outside the Log's lock and in the appending goroutine. Concurrent
	// Appends may call it concurrently and out of seq order.
	OnAppend func(Entry)
	// Logger receives warnings (a torn tail truncated on Open, a failed
	// periodic fsync); nil means slog.Default().
	Logger *slog.Logger
}

func (o Options) withDefaults() Options {
	if o.SegmentMaxBytes <= 0 {
		o.SegmentMaxBytes = DefaultSegmentMaxBytes
	}
	if o.SyncInterval == 0 {
		o.SyncInterval = DefaultSyncInterval
	}
	if o.Clock == nil {
		o.Clock = time.Now
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	return o
}

// Log is an open, append-only, hash-chained decision log. Its methods are
// safe for concurrent use.
type Log struct {
	dir  string
	opts Options
	lock *os.File // held for the Log's lifetime (ErrLocked)

	mu      sync.Mutex
	f       *os.File // current segment, opened for appending
	segment uint64   // number of the current segment
	size    int64    // bytes in the current segment
	chain            // seq and hash of the last entry
	enc     *encoder
	dirty   bool // written since the last fsync
	closed  bool
	failed  error // sticky: the segment may hold a partial line
	syncErr error // first failed periodic fsync, reported by Close

	stop chan struct{}
	done chan struct{}
}

// Append records ev as the next entry of the chain and returns the entry.
// The entry is in the segment file when Append returns. Append after
// Close returns ErrClosed.
func (l *Log) Append(ev Event) (Entry, error) {
	if ev.Type == "" {
		return Entry{}, fmt.Errorf("%w: empty type", ErrInvalidEvent)
	}
	ev = ev.clone()
	data, err := json.Marshal(ev)
	if err != nil {
		return Entry{}, fmt.Errorf("audit: encode event: %w", err)
	}
	e, err := l.append(data)
	if err != nil {
		return Entry{}, err
	}
	e.Event = ev
	if l.opts.OnAppend != nil {
		l.opts.OnAppend(e)
	}
	return e, nil
}

// append writes one entry under the lock.
func (l *Log) append(event []byte) (Entry, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		return Entry{}, ErrClosed
	}
	if l.failed != nil {
		return Entry{}, l.failed
	}
	now := l.opts.Clock().UTC()
	if err := checkTime(now); err != nil {
		return Entry{}, err
	}
	line, hash := l.enc.encode(l.seq+1, now, l.head, event)
	if l.size > 0 && l.size+int64(len(line)) > l.opts.SegmentMaxBytes {
		if err := l.rotate(); err != nil {
			return Entry{}, err
		}
	}
	if err := l.write(line); err != nil {
		return Entry{}, err
	}
	e := Entry{Seq: l.seq + 1, Time: now, Prev: l.head, Hash: hash}
	l.seq, l.head = e.Seq, hash
	if l.opts.SyncInterval < 0 {
		if err := l.syncLocked(); err != nil {
			return Entry{}, fmt.Errorf("%w (entry %d written but may not be durable)", err, e.Seq)
		}
	}
	return e, nil
}

// write appends line to the current segment. On failure it cuts the
// segment back to its last whole line; if that fails too the Log stops
// accepting entries, so that no entry follows a partial line.
func (l *Log) write(line []byte) error {
	if _, err := l.f.Write(line); err != nil {
		if terr := l.f.Truncate(l.size); terr != nil {
			l.failed = fmt.Errorf("audit: log unusable after failed write: %w", errors.Join(err, terr))
			return l.failed
		}
		return fmt.Errorf("audit: write entry: %w", err)
	}
	l.size += int64(len(line))
	l.dirty = true
	return nil
}

// rotate closes the current segment and starts the next one.
func (l *Log) rotate() error {
	if err := l.syncLocked(); err != nil {
		return err
	}
	if err := l.f.Close(); err != nil {
		l.failed = fmt.Errorf("audit: close segment: %w", err)
		return l.failed
	}
	f, err := createSegment(l.dir, l.segment+1)
	if err != nil {
		l.failed = err
		return err
	}
	l.f, l.segment, l.size = f, l.segment+1, 0
	return nil
}

func (l *Log) syncLocked() error {
	if err := l.f.Sync(); err != nil {
		return fmt.Errorf("audit: fsync segment: %w", err)
	}
	l.dirty = false
	return nil
}

// Head returns the number of entries in the log and the hash of the last
// one ("" for an empty log).
func (l *Log) Head() (entries uint64, head string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.seq == 0 {
		return 0, ""
	}
	return l.seq, l.head
}

// Verify checks the whole on-disk log as Verify(dir) does while Appends
// continue: it takes the end of the log under the lock, then reads without
// holding it. Because the Log knows its own head, this also detects
// entries removed from, or rewritten at, the end of the files. After
// Close it verifies the directory as Verify(dir) does.
func (l *Log) Verify() (Report, error) {
	l.mu.Lock()
	snap := snapshot{segment: l.segment, size: l.size, chain: l.chain}
	closed := l.closed
	l.mu.Unlock()
	if closed {
		return Verify(l.dir)
	}
	w := newWalker(nil)
	return w.report(w.walkDir(l.dir, &snap))
}
