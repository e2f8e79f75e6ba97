package actors

import (
	"encoding/json"
	"sync"
	"time"
)

// TaskState is where a task is in its life.
type TaskState string

// Task states.
const (
	TaskPending   TaskState = "pending"
	TaskRunning   TaskState = "running"
	TaskCompleted TaskState = "completed"
	TaskFailed    TaskState = "failed"
	TaskBlocked   TaskState = "blocked"
)

// Terminal reports whether the state is final.
func (s TaskState) Terminal() bool {
	return s == TaskCompleted || s == TaskFailed || s == TaskBlocked
}

// TrailEntry is one message (or refusal, or tool call) a task caused, with the
// verdict and the controls that decided it.
type TrailEntry struct {
	Time        time.Time       `json:"time"`
	Type        string          `json:"type"`
	MessageID   string          `json:"message_id,omitempty"`
	From        string          `json:"from,omitempty"`
	To          string          `json:"to,omitempty"`
	Kind        string          `json:"kind,omitempty"`
	PayloadType string          `json:"payload_type,omitempty"`
	Tool        string          `json:"tool,omitempty"`
	Verdict     string          `json:"verdict"`
	Controls    []string        `json:"controls,omitempty"`
	Guard       string          `json:"guard,omitempty"`
	Reason      string          `json:"reason,omitempty"`
	Payload     json.RawMessage `json:"payload,omitempty"`
}

// TaskView is a snapshot of a task.
type TaskView struct {
	ID        string          `json:"task_id"`
	Workflow  string          `json:"workflow"`
	To        string          `json:"to"`
	State     TaskState       `json:"state"`
	SpecHash  string          `json:"spec_hash"`
	CreatedAt time.Time       `json:"created_at"`
	UpdatedAt time.Time       `json:"updated_at"`
	Result    json.RawMessage `json:"result,omitempty"`
	Error     string          `json:"error,omitempty"`
	Trail     []TrailEntry    `json:"trail"`
}

type taskRecord struct {
	view  TaskView
	done  chan struct{}
	timer *time.Timer
}

// TaskStore keeps the tasks this node accepted, their states and trails.
// It holds at most a bounded number of tasks (the oldest are forgotten
// first) and a bounded trail per task.
type TaskStore struct {
	mu       sync.Mutex
	tasks    map[string]*taskRecord
	order    []string
	max      int
	maxTrail int
	clock    func() time.Time
	closed   bool
	onDone   func(id string) // called once per task reaching a final state, outside the lock
}

// OnDone sets a function called once for every task that reaches a final
// state (per-task bookkeeping elsewhere is released with it).
func (s *TaskStore) OnDone(f func(id string)) {
	s.mu.Lock()
	s.onDone = f
	s.mu.Unlock()
}

// NewTaskStore returns a store holding up to max tasks (0: 10000).
func NewTaskStore(max int) *TaskStore {
	if max <= 0 {
		max = 10000
	}
	return &TaskStore{tasks: map[string]*taskRecord{}, max: max, maxTrail: 1000, clock: time.Now}
}

// Create records a new pending task; it fails on its own after timeout.
func (s *TaskStore) Create(id, workflow, to, specHash string, timeout time.Duration) {
	now := s.clock().UTC()
	r := &taskRecord{view: TaskView{ID: id, Workflow: workflow, To: to, State: TaskPending,
		SpecHash: specHash, CreatedAt: now, UpdatedAt: now, Trail: []TrailEntry{}}, done: make(chan struct{})}
	s.mu.Lock()
	defer s.mu.Unlock()
	if timeout > 0 && !s.closed {
		r.timer = time.AfterFunc(timeout, func() { s.Fail(id, "timed out after "+timeout.String()) })
	}
	s.tasks[id] = r
	s.order = append(s.order, id)
	s.evict()
}

// evict forgets the oldest tasks beyond the limit.
func (s *TaskStore) evict() {
	for len(s.order) > s.max {
		id := s.order[0]
		s.order = s.order[1:]
		if r, ok := s.tasks[id]; ok && r.timer != nil {
			r.timer.Stop()
		}
		delete(s.tasks, id)
	}
}

// Get returns a snapshot of the task.
func (s *TaskStore) Get(id string) (TaskView, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.tasks[id]
	if !ok {
		return TaskView{}, false
	}
	v := r.view
	v.Trail = append([]TrailEntry(nil), r.view.Trail...)
	return v, true
}

// Done returns a channel closed when the task reaches a final state (nil if unknown).
func (s *TaskStore) Done(id string) <-chan struct{} {
	s.mu.Lock()
	defer s.mu.Unlock()
	if r, ok := s.tasks[id]; ok {
		return r.done
	}
	return nil
}

// Running marks a pending task running.
func (s *TaskStore) Running(id string) { s.transition(id, TaskRunning, nil, "") }

// Complete marks the task completed with its result.
func (s *TaskStore) Complete(id, by string, result json.RawMessage) {
	s.transition(id, TaskCompleted, result, "")
}

// Fail marks the task failed.
func (s *TaskStore) Fail(id, reason string) { s.transition(id, TaskFailed, nil, reason) }

// Block marks the task blocked by a control.
func (s *TaskStore) Block(id, reason string) { s.transition(id, TaskBlocked, nil, reason) }

func (s *TaskStore) transition(id string, to TaskState, result json.RawMessage, reason string) {
	s.mu.Lock()
	done := s.apply(id, to, result, reason)
	f := s.onDone
	s.mu.Unlock()
	if done && f != nil {
		f(id)
	}
}

// apply changes a task's state; it reports whether the task just ended.
func (s *TaskStore) apply(id string, to TaskState, result json.RawMessage, reason string) bool {
	r, ok := s.tasks[id]
	if !ok || r.view.State.Terminal() {
		return false
	}
	r.view.State, r.view.UpdatedAt = to, s.clock().UTC()
	if result != nil {
		r.view.Result = append(json.RawMessage(nil), result...)
	}
	if reason != "" {
		r.view.Error = reason
	}
	if to.Terminal() {
		if r.timer != nil {
			r.timer.Stop()
		}
		close(r.done)
	}
	return to.Terminal()
}

// AddTrail appends an entry to the task's trail (ignored for unknown tasks).
func (s *TaskStore) AddTrail(id string, e TrailEntry) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.tasks[id]
	if !ok || len(r.view.Trail) >= s.maxTrail {
		return
	}
	r.view.Trail = append(r.view.Trail, e)
}

// Close stops every task timer.
func (s *TaskStore) Close() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.closed = true
	for _, r := range s.tasks {
		if r.timer != nil {
			r.timer.Stop()
		}
	}
}
