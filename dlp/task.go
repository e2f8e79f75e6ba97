package dlp

import (
	"cmp"
	"container/list"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"
)

// ScanTask checks text as one message of a task. Besides text on its own
// it scans the task's window (the tail of the task's previous messages,
// concatenated in order, at most Config.Window bytes) followed by text,
// so that a payload split over several messages is caught when its last
// part arrives. A finding that appears only across messages has Evasion
// "split"; its span is the part of it inside text. Text is then appended
// to the window.
//
// ScanTask is safe for concurrent use. Messages of one task scanned
// concurrently enter the window in the order their scans finish.
func (s *Scanner) ScanTask(task, text string) []Finding {
	own := s.scan(text)
	prev := s.tasks.get(task)
	if prev != "" {
		own = s.acrossMessages(own, prev, text)
	}
	s.tasks.append(task, text)
	return s.finish(own)
}

// acrossMessages adds to own the findings of prev+text that reach into
// text and that text alone did not give.
func (s *Scanner) acrossMessages(own []Finding, prev, text string) []Finding {
	n := len(prev)
	seen := spansByDetector(own)
	for _, f := range s.scan(prev + text) {
		if f.End <= n {
			continue
		}
		f.Start, f.End = max(f.Start-n, 0), f.End-n
		if seen.overlaps(f) {
			continue
		}
		f.Evasion = EvasionSplit
		own = append(own, f)
	}
	return own
}

// detectorSpans holds findings' spans by detector, sorted by start.
type detectorSpans map[string][]span

// spansByDetector indexes fs, which dedupe has sorted and made
// non-overlapping per detector.
func spansByDetector(fs []Finding) detectorSpans {
	m := detectorSpans{}
	for _, f := range fs {
		m[f.Detector] = append(m[f.Detector], span{f.Start, f.End})
	}
	return m
}

// overlaps reports whether a span of f's detector overlaps or touches f.
func (m detectorSpans) overlaps(f Finding) bool {
	ss := m[f.Detector]
	i, _ := slices.BinarySearchFunc(ss, f.Start, func(s span, start int) int { return cmp.Compare(s.end, start) })
	return i < len(ss) && ss[i].start <= f.End
}

// Forget drops the window of task, for instance when the task ends.
func (s *Scanner) Forget(task string) { s.tasks.forget(task) }

// taskWindows keeps the windows of at most max tasks, least recently used
// dropped first, each at most size bytes.
type taskWindows struct {
	mu    sync.Mutex
	size  int
	max   int
	lru   *list.List // of *taskWindow, most recent first
	index map[string]*list.Element
}

type taskWindow struct {
	task string
	text string
}

func newTaskWindows(size, maxTasks int) *taskWindows {
	return &taskWindows{size: size, max: maxTasks, lru: list.New(), index: map[string]*list.Element{}}
}

// get returns the window of task ("" if none).
func (t *taskWindows) get(task string) string {
	t.mu.Lock()
	defer t.mu.Unlock()
	e, ok := t.index[task]
	if !ok {
		return ""
	}
	t.lru.MoveToFront(e)
	return e.Value.(*taskWindow).text
}

// append adds text to the window of task, keeping its last size bytes.
func (t *taskWindows) append(task, text string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	e, ok := t.index[task]
	if !ok {
		e = t.lru.PushFront(&taskWindow{task: task})
		t.index[task] = e
		for t.lru.Len() > t.max {
			old := t.lru.Back()
			t.lru.Remove(old)
			delete(t.index, old.Value.(*taskWindow).task)
		}
	}
	t.lru.MoveToFront(e)
	w := e.Value.(*taskWindow)
	w.text = tail(w.text+text, t.size)
}

func (t *taskWindows) forget(task string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if e, ok := t.index[task]; ok {
		t.lru.Remove(e)
		delete(t.index, task)
	}
}

// retained returns the number of windows and the bytes they hold.
func (t *taskWindows) retained() (tasks, bytes int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	for e := t.lru.Front(); e != nil; e = e.Next() {
		bytes += len(e.Value.(*taskWindow).text)
	}
	return t.lru.Len(), bytes
}

// tail returns a copy of the last n bytes of s, starting on a character
// boundary. It always copies, so that a window never keeps a caller's
// larger string alive.
func tail(s string, n int) string {
	cut := max(len(s)-n, 0)
	for cut < len(s) && !utf8.RuneStart(s[cut]) {
		cut++
	}
	return strings.Clone(s[cut:])
}
