package actors

import (
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/asynkron/protoactor-go/actor"

	"github.com/maso-runtime/maso/identity"
)

// ErrNoCredential reports a principal whose credential is missing or no longer
// usable (IA-2.2: an expired credential loses bus access at once).
var ErrNoCredential = errors.New("actors: no valid credential")

// principal is one signing identity of the node: an agent, the orchestrator or
// the ingress. Its credential can be swapped (rotation) while it is in use.
type principal struct {
	name  string
	cred  atomic.Pointer[identity.Credential]
	seq   atomic.Uint64
	state agentState
	mem   *memory       // the agent's private memory; survives restarts of its actor
	since atomic.Int64  // when the current credential arrived (unix nanos): its life for rotation starts here
	fresh chan struct{} // signalled on every new credential, so its rotator re-plans
}

func newPrincipal(name string, c *identity.Credential) *principal {
	p := &principal{name: name, mem: newMemory(), fresh: make(chan struct{}, 1)}
	p.setCredential(c, time.Now())
	return p
}

// setCredential swaps in a new credential (rotation, reissue).
func (p *principal) setCredential(c *identity.Credential, now time.Time) {
	p.cred.Store(c)
	p.since.Store(now.UnixNano())
	select {
	case p.fresh <- struct{}{}:
	default:
	}
}

// credential returns the current credential, or ErrNoCredential.
func (p *principal) credential() (*identity.Credential, error) {
	c := p.cred.Load()
	if c == nil {
		return nil, fmt.Errorf("%w for %s", ErrNoCredential, p.name)
	}
	return c, nil
}

// ErrUnknownRecipient reports a message to a principal the node cannot resolve.
var ErrUnknownRecipient = errors.New("actors: unknown recipient")

// Directory resolves principal names to actor PIDs, local or remote. The
// registry in etcd feeds it later; for now it is filled by the node.
type Directory struct {
	mu   sync.RWMutex
	pids map[string]*actor.PID
}

// NewDirectory returns an empty directory.
func NewDirectory() *Directory { return &Directory{pids: map[string]*actor.PID{}} }

// Set maps name to pid.
func (d *Directory) Set(name string, pid *actor.PID) {
	d.mu.Lock()
	d.pids[name] = pid
	d.mu.Unlock()
}

// SetRemote maps name to the actor of that name on the node at address.
func (d *Directory) SetRemote(name, address string) {
	d.Set(name, actor.NewPID(address, name))
}

// Delete removes name.
func (d *Directory) Delete(name string) {
	d.mu.Lock()
	delete(d.pids, name)
	d.mu.Unlock()
}

// Lookup returns the PID of name.
func (d *Directory) Lookup(name string) (*actor.PID, error) {
	d.mu.RLock()
	pid, ok := d.pids[name]
	d.mu.RUnlock()
	if !ok {
		return nil, fmt.Errorf("%w %q", ErrUnknownRecipient, name)
	}
	return pid, nil
}
