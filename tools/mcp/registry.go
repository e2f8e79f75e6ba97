package mcp

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"time"

	sdk "github.com/modelcontextprotocol/go-sdk/mcp"
)

// DescriptionTTL is how long a server's tool list is reused before it is
// fetched again. A description changed on the server is caught by the
// first Describe or Call after the cached list expires, or as soon as
// the server announces the change (notifications/tools/list_changed).
const DescriptionTTL = time.Second

// clientVersion is what the runtime reports as its MCP client version.
const clientVersion = "1"

// Registry is the MCP server allow-list with the live sessions to those
// servers. Sessions are opened lazily, shared by all callers of a server
// and reopened after a failure. A Registry is safe for concurrent use.
type Registry struct {
	log     *slog.Logger
	client  *sdk.Client
	http    *http.Client
	entries map[string]*entry // fixed at NewRegistry
	ttl     time.Duration
	now     func() time.Time

	mu     sync.Mutex // guards closed and wg.Add
	closed bool
	wg     sync.WaitGroup // session watchers and background closes
}

// entry is one allow-listed server and its session.
type entry struct {
	srv        Server
	connecting chan struct{} // one-slot semaphore: one connect at a time

	mu       sync.Mutex
	cs       *sdk.ClientSession
	tools    map[string]*sdk.Tool // the last tool list, by name
	listedAt time.Time
	gen      uint64 // counts the server's list_changed notifications
}

// NewRegistry returns a registry allowing exactly servers. Names must be
// unique and each server needs exactly one transport. No connection is
// made until one is needed. log may be nil.
func NewRegistry(servers []Server, log *slog.Logger) (*Registry, error) {
	if err := validateServers(servers); err != nil {
		return nil, err
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	r := &Registry{
		log:     log,
		http:    newHTTPClient(),
		entries: make(map[string]*entry, len(servers)),
		ttl:     DescriptionTTL,
		now:     time.Now,
	}
	for _, s := range servers {
		s.Command = append([]string(nil), s.Command...)
		r.entries[s.Name] = &entry{srv: s, connecting: make(chan struct{}, 1)}
	}
	r.client = sdk.NewClient(&sdk.Implementation{Name: "maso", Version: clientVersion}, &sdk.ClientOptions{
		ToolListChangedHandler: func(_ context.Context, req *sdk.ToolListChangedRequest) {
			r.toolsChanged(req.Session)
		},
	})
	return r, nil
}

// Connect opens the session to the named server unless one is open. A
// server not on the allow-list is refused with [ErrNotAllowed] before
// anything is sent; a failure to connect wraps [ErrUnavailable].
func (r *Registry) Connect(ctx context.Context, name string) error {
	e, err := r.lookup(name)
	if err != nil {
		return err
	}
	_, err = r.session(ctx, e)
	return err
}

// Close closes every session (stopping stdio servers) and waits for
// them. The registry cannot be used afterwards. Close is idempotent.
func (r *Registry) Close() error {
	r.mu.Lock()
	if r.closed {
		r.mu.Unlock()
		return nil
	}
	r.closed = true
	r.mu.Unlock()
	var errs []error
	for _, e := range r.entries {
		e.mu.Lock()
		cs := e.cs
		e.cs, e.tools = nil, nil
		e.mu.Unlock()
		if cs != nil {
			if err := cs.Close(); err != nil {
				errs = append(errs, fmt.Errorf("mcp: closing server %q: %w", e.srv.Name, err))
			}
		}
	}
	r.wg.Wait()
	r.http.CloseIdleConnections()
	return errors.Join(errs...)
}

// lookup is the allow-list check (SC-2.3).
func (r *Registry) lookup(name string) (*entry, error) {
	e, ok := r.entries[name]
	if !ok {
		r.log.Warn("mcp: server not on the allow-list refused", "control", "SC-2.3", "server", name)
		return nil, fmt.Errorf("%w: %q", ErrNotAllowed, name)
	}
	return e, nil
}

// session returns the server's open session, connecting if there is none.
func (r *Registry) session(ctx context.Context, e *entry) (*sdk.ClientSession, error) {
	if cs := e.current(); cs != nil {
		return cs, nil
	}
	select {
	case e.connecting <- struct{}{}:
	case <-ctx.Done():
		return nil, fmt.Errorf("%w: server %q: %w", ErrUnavailable, e.srv.Name, ctx.Err())
	}
	defer func() { <-e.connecting }()
	if cs := e.current(); cs != nil {
		return cs, nil // another caller connected meanwhile
	}
	if r.isClosed() {
		return nil, fmt.Errorf("%w: server %q: registry closed", ErrUnavailable, e.srv.Name)
	}
	cs, err := r.client.Connect(ctx, r.transport(e.srv), nil)
	if err != nil {
		return nil, fmt.Errorf("%w: connecting to server %q: %w", ErrUnavailable, e.srv.Name, err)
	}
	r.mu.Lock()
	if r.closed {
		r.mu.Unlock()
		_ = cs.Close()
		return nil, fmt.Errorf("%w: server %q: registry closed", ErrUnavailable, e.srv.Name)
	}
	// Registered under r.mu, so a concurrent Close either refused above
	// or sees this session and closes it.
	r.wg.Add(1)
	e.set(cs)
	r.mu.Unlock()
	go r.watch(e, cs)
	r.log.Info("mcp: connected", "server", e.srv.Name, "transport", e.srv.transport(), "session", cs.ID())
	return cs, nil
}

// watch forgets the session when it ends, so the next use reconnects.
func (r *Registry) watch(e *entry, cs *sdk.ClientSession) {
	defer r.wg.Done()
	err := cs.Wait()
	if e.forget(cs) {
		r.log.Warn("mcp: session ended", "server", e.srv.Name, "err", err)
	}
	_ = cs.Close()
}

// do runs fn on the server's session. When the transport fails (not when
// the server answers with an error) the session is dropped and, if
// retry allows it for that error, fn runs once more on a new session.
func (r *Registry) do(ctx context.Context, e *entry, retry func(error) bool, fn func(*sdk.ClientSession) error) error {
	for attempt := 0; ; attempt++ {
		cs, err := r.session(ctx, e)
		if err != nil {
			return err
		}
		err = fn(cs)
		if err == nil || ctx.Err() != nil || answered(err) {
			return err
		}
		r.drop(e, cs)
		if attempt > 0 || !retry(err) {
			return fmt.Errorf("%w: server %q: %w", ErrUnavailable, e.srv.Name, err)
		}
		r.log.Info("mcp: reconnecting", "server", e.srv.Name, "err", err)
	}
}

// drop forgets a failed session and closes it in the background.
func (r *Registry) drop(e *entry, cs *sdk.ClientSession) {
	e.forget(cs)
	r.mu.Lock()
	if r.closed {
		r.mu.Unlock()
		_ = cs.Close()
		return
	}
	r.wg.Add(1)
	r.mu.Unlock()
	go func() {
		defer r.wg.Done()
		_ = cs.Close()
	}()
}

// toolsChanged drops the cached tool list of the session's server.
func (r *Registry) toolsChanged(cs *sdk.ClientSession) {
	for _, e := range r.entries {
		e.mu.Lock()
		if e.cs == cs {
			e.tools = nil
			e.gen++
			e.mu.Unlock()
			r.log.Debug("mcp: tool list changed", "server", e.srv.Name)
			return
		}
		e.mu.Unlock()
	}
}

func (r *Registry) isClosed() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.closed
}

func (e *entry) current() *sdk.ClientSession {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.cs
}

func (e *entry) set(cs *sdk.ClientSession) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.cs, e.tools = cs, nil
}

// forget clears the session if it is still cs, reporting whether it was.
func (e *entry) forget(cs *sdk.ClientSession) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.cs != cs {
		return false
	}
	e.cs, e.tools = nil, nil
	return true
}
