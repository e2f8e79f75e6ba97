package registry

import (
	"context"
	"errors"
	"fmt"

	"go.etcd.io/etcd/api/v3/v3rpc/rpctypes"
	clientv3 "go.etcd.io/etcd/client/v3"
)

// keepAlive keeps the session's lease alive until ctx ends, replacing
// the lease whenever it is lost.
func (s *NodeSession) keepAlive(ctx context.Context) {
	defer close(s.done)
	bo := newBackoff()
	for {
		lease := s.LeaseID()
		if ch, err := s.r.cli.KeepAlive(ctx, lease); err == nil {
			for range ch {
				bo.reset()
			}
		}
		if !s.r.alive(ctx) {
			return
		}
		s.r.log.Warn("node lease lost; granting a new one", "node", s.node.Name, "lease", fmt.Sprintf("%x", lease))
		for !s.replaceLease(ctx, lease) {
			if !sleepCtx(ctx, bo.next()) {
				return
			}
		}
	}
}

// replaceLease grants a new lease, puts every key of the session under
// it and revokes old. It reports success.
func (s *NodeSession) replaceLease(ctx context.Context, old clientv3.LeaseID) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return true
	}
	lease, err := s.grantAndPut(ctx)
	if err != nil {
		s.r.log.Warn("node lease renewal failed", "node", s.node.Name, "err", err)
		return false
	}
	s.lease = lease
	s.revoke(ctx, old)
	s.r.log.Info("node lease replaced", "node", s.node.Name, "old", fmt.Sprintf("%x", old), "new", fmt.Sprintf("%x", lease))
	return true
}

// grantAndPut grants a lease and writes the node record and the
// session's agents under it. On failure the new lease is revoked. The
// caller holds s.mu (or owns s exclusively).
func (s *NodeSession) grantAndPut(ctx context.Context) (clientv3.LeaseID, error) {
	octx, cancel := s.r.opCtx(ctx)
	resp, err := s.r.cli.Grant(octx, s.node.TTL)
	cancel()
	if err != nil {
		return 0, s.r.fail(ctx, octx, "grant lease for node "+s.node.Name, err)
	}
	ops, err := s.sessionPuts(resp.ID)
	if err != nil {
		return 0, err
	}
	for len(ops) > 0 {
		n := min(len(ops), maxOpsPerTxn)
		if _, err := s.r.txn(ctx, "register node "+s.node.Name, nil, ops[:n]...); err != nil {
			s.revoke(ctx, resp.ID)
			return 0, err
		}
		ops = ops[n:]
	}
	return resp.ID, nil
}

// sessionPuts returns the puts of the node record and all agents under
// lease, node record first.
func (s *NodeSession) sessionPuts(lease clientv3.LeaseID) ([]clientv3.Op, error) {
	nodeVal, err := encodeJSON(s.node)
	if err != nil {
		return nil, err
	}
	ops := []clientv3.Op{clientv3.OpPut(s.r.key(dirNodes, s.node.Name), string(nodeVal), clientv3.WithLease(lease))}
	for name, a := range s.agents {
		val, err := encodeJSON(a)
		if err != nil {
			return nil, err
		}
		ops = append(ops, clientv3.OpPut(s.r.key(dirAgents, name), string(val), clientv3.WithLease(lease)))
	}
	return ops, nil
}

// revoke revokes lease, best effort: a lease that is already gone is
// fine, anything else is logged (the lease then expires on its own).
func (s *NodeSession) revoke(ctx context.Context, lease clientv3.LeaseID) {
	octx, cancel := s.r.opCtx(ctx)
	defer cancel()
	_, err := s.r.cli.Revoke(octx, lease)
	if err != nil && !errors.Is(err, rpctypes.ErrLeaseNotFound) {
		s.r.log.Warn("revoking old node lease failed; it will expire", "node", s.node.Name,
			"lease", fmt.Sprintf("%x", lease), "err", err)
	}
}

// Nodes returns the records of every registered node.
func (r *Registry) Nodes(ctx context.Context) ([]NodeRecord, error) {
	kvs, _, err := r.getPrefix(ctx, "list nodes", dirNodes)
	if err != nil {
		return nil, err
	}
	out := make([]NodeRecord, 0, len(kvs))
	for _, kv := range kvs {
		var n NodeRecord
		if err := decodeJSON(kv.key, kv.value, &n); err != nil {
			r.log.Error("undecodable node record skipped", "err", err)
			continue
		}
		out = append(out, n)
	}
	return out, nil
}
