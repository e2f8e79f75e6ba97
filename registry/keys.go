package registry

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"unicode"

	clientv3 "go.etcd.io/etcd/client/v3"
)

// Key layout below Config.Prefix; doc.go describes each entry.
const (
	dirNodes        = "nodes/"
	dirAgents       = "agents/"
	keyPhase        = "phase"
	dirPhaseHistory = "phase/history/"
	dirReviews      = "reviews/"
	dirApprovals    = "approvals/"
	dirTokens       = "tokens/"
	dirRevocations  = "revocations/"
	dirTrust        = "trust/"
	dirSettings     = "settings/"
)

// maxKeySegment bounds a caller-supplied key segment.
const maxKeySegment = 253

// key returns the full etcd key for a path below the prefix.
func (r *Registry) key(parts ...string) string {
	return r.prefix + strings.Join(parts, "")
}

// epochSegment formats an epoch so that key order is numeric order.
func epochSegment(epoch uint64) string {
	return fmt.Sprintf("%020d", epoch)
}

// checkSegment reports a caller-supplied key segment that could escape
// its directory or confuse a listing: empty, too long, containing '/',
// spaces or control characters.
func checkSegment(what, s string) error {
	if s == "" || len(s) > maxKeySegment {
		return fmt.Errorf("%w: %s %q: length must be 1 to %d", ErrInvalid, what, s, maxKeySegment)
	}
	for _, c := range s {
		if c == '/' || unicode.IsSpace(c) || !unicode.IsPrint(c) {
			return fmt.Errorf("%w: %s %q: '/', spaces and control characters are not allowed", ErrInvalid, what, s)
		}
	}
	return nil
}

// encodeJSON marshals v without HTML escaping, so a json.RawMessage
// inside it is stored byte for byte (when compact).
func encodeJSON(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, fmt.Errorf("%w: encode: %w", ErrInvalid, err)
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// decodeJSON unmarshals the value stored at key.
func decodeJSON(key string, data []byte, v any) error {
	if err := json.Unmarshal(data, v); err != nil {
		return fmt.Errorf("%w: %s: %w", ErrCorrupt, key, err)
	}
	return nil
}

// getOne reads key linearizably within OpTimeout. kv is nil when the key
// does not exist; rev is the store revision of the read.
func (r *Registry) getOne(ctx context.Context, op, key string) (kv *kvPair, rev int64, err error) {
	octx, cancel := r.opCtx(ctx)
	defer cancel()
	resp, err := r.cli.Get(octx, key)
	if err != nil {
		return nil, 0, r.fail(ctx, octx, op, err)
	}
	if len(resp.Kvs) == 0 {
		return nil, resp.Header.Revision, nil
	}
	k := resp.Kvs[0]
	return &kvPair{key: string(k.Key), value: k.Value, modRev: k.ModRevision}, resp.Header.Revision, nil
}

// getPrefix lists every key under dir within OpTimeout.
func (r *Registry) getPrefix(ctx context.Context, op, dir string) ([]kvPair, int64, error) {
	octx, cancel := r.opCtx(ctx)
	defer cancel()
	resp, err := r.cli.Get(octx, r.key(dir), clientv3.WithPrefix())
	if err != nil {
		return nil, 0, r.fail(ctx, octx, op, err)
	}
	out := make([]kvPair, 0, len(resp.Kvs))
	for _, k := range resp.Kvs {
		out = append(out, kvPair{key: string(k.Key), value: k.Value, modRev: k.ModRevision})
	}
	return out, resp.Header.Revision, nil
}

// kvPair is one stored key, detached from the etcd response.
type kvPair struct {
	key    string
	value  []byte
	modRev int64
}

// txn runs a transaction within OpTimeout and reports whether its
// comparisons held.
func (r *Registry) txn(ctx context.Context, op string, cmps []clientv3.Cmp, ops ...clientv3.Op) (bool, error) {
	octx, cancel := r.opCtx(ctx)
	defer cancel()
	resp, err := r.cli.Txn(octx).If(cmps...).Then(ops...).Commit()
	if err != nil {
		return false, r.fail(ctx, octx, op, err)
	}
	return resp.Succeeded, nil
}

// put writes one key within OpTimeout.
func (r *Registry) put(ctx context.Context, op, key string, value []byte, opts ...clientv3.OpOption) error {
	octx, cancel := r.opCtx(ctx)
	defer cancel()
	if _, err := r.cli.Put(octx, key, string(value), opts...); err != nil {
		return r.fail(ctx, octx, op, err)
	}
	return nil
}

// absent is the comparison "key does not exist".
func absent(key string) clientv3.Cmp {
	return clientv3.Compare(clientv3.CreateRevision(key), "=", 0)
}
