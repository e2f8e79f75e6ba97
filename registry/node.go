package registry

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"go.etcd.io/etcd/api/v3/v3rpc/rpctypes"
	clientv3 "go.etcd.io/etcd/client/v3"
)

// DefaultNodeTTL is the node lease TTL when RegisterNode gets 0.
const DefaultNodeTTL = 10 * time.Second

// maxOpsPerTxn stays well below etcd's default limit of 128 operations.
const maxOpsPerTxn = 64

// NodeRecord is what a node publishes about itself at nodes/<node>.
type NodeRecord struct {
	Name      string    `json:"name"`
	StartedAt time.Time `json:"started_at"`
	TTL       int64     `json:"ttl_seconds"`
}

// NodeSession is a node's presence in the registry: a lease kept alive
// in the background, with the node record and the node's agents attached
// to it. If the lease is lost (expired during an outage, or revoked) the
// session grants a new one, puts every key again under it and revokes
// the old one. Close revokes the lease, which removes the keys.
type NodeSession struct {
	r      *Registry
	node   NodeRecord
	cancel context.CancelFunc
	done   chan struct{}

	mu     sync.Mutex // serialises the session's writes; guards below
	lease  clientv3.LeaseID
	agents map[string]AgentRecord
	closed bool
}

// RegisterNode creates node's lease (ttl, rounded up to whole seconds;
// DefaultNodeTTL when 0), writes its node record and starts the
// keepalive. ctx bounds the registration only.
func (r *Registry) RegisterNode(ctx context.Context, node string, ttl time.Duration) (*NodeSession, error) {
	if err := checkSegment("node name", node); err != nil {
		return nil, err
	}
	if ttl == 0 {
		ttl = DefaultNodeTTL
	}
	if ttl < 0 {
		return nil, fmt.Errorf("%w: negative node TTL %s", ErrInvalid, ttl)
	}
	s := &NodeSession{
		r:      r,
		node:   NodeRecord{Name: node, StartedAt: r.now(), TTL: int64((ttl + time.Second - 1) / time.Second)},
		done:   make(chan struct{}),
		agents: make(map[string]AgentRecord),
	}
	lease, err := s.grantAndPut(ctx)
	if err != nil {
		return nil, err
	}
	s.lease = lease
	loopCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	s.cancel = cancel
	go s.keepAlive(loopCtx)
	r.log.Info("node registered", "node", node, "lease", fmt.Sprintf("%x", lease), "ttl", s.node.TTL)
	return s, nil
}

// LeaseID returns the session's current lease.
func (s *NodeSession) LeaseID() clientv3.LeaseID {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.lease
}

// PutAgent writes a under the session's lease. An empty a.Node is set to
// the session's node; another node's name is refused. UpdatedAt is set
// from the clock. The session remembers a and writes it again if the
// lease has to be replaced.
func (s *NodeSession) PutAgent(ctx context.Context, a AgentRecord) error {
	if a.Node == "" {
		a.Node = s.node.Name
	}
	if a.Node != s.node.Name {
		return fmt.Errorf("%w: agent %s belongs to node %q, not %q", ErrInvalid, a.Name, a.Node, s.node.Name)
	}
	if err := checkAgent(a); err != nil {
		return err
	}
	a.UpdatedAt = s.r.now()
	val, err := encodeJSON(a)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return fmt.Errorf("%w: node session %s is closed", ErrInvalid, s.node.Name)
	}
	s.agents[a.Name] = a
	return s.r.put(ctx, "register agent "+a.Name+" refused", s.r.key(dirAgents, a.Name), val, clientv3.WithLease(s.lease))
}

// DeleteAgent removes agent name from the registry and the session.
func (s *NodeSession) DeleteAgent(ctx context.Context, name string) error {
	if err := checkSegment("agent name", name); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.agents, name)
	octx, cancel := s.r.opCtx(ctx)
	defer cancel()
	if _, err := s.r.cli.Delete(octx, s.r.key(dirAgents, name)); err != nil {
		return s.r.fail(ctx, octx, "remove agent "+name, err)
	}
	return nil
}

// Close stops the keepalive and revokes the lease, which deletes the
// node record and every agent of the session. It is safe to call more
// than once.
func (s *NodeSession) Close(ctx context.Context) error {
	s.cancel()
	s.mu.Lock()
	already := s.closed
	s.closed = true
	lease := s.lease
	s.mu.Unlock()
	<-s.done
	if already {
		return nil
	}
	octx, cancel := s.r.opCtx(ctx)
	defer cancel()
	if _, err := s.r.cli.Revoke(octx, lease); err != nil && !errors.Is(err, rpctypes.ErrLeaseNotFound) {
		return s.r.fail(ctx, octx, "revoke node lease", err)
	}
	s.r.log.Info("node deregistered", "node", s.node.Name)
	return nil
}
