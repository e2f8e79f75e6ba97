package registry

import (
	"context"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"go.etcd.io/etcd/api/v3/mvccpb"
	clientv3 "go.etcd.io/etcd/client/v3"

	"github.com/maso-runtime/maso/identity"
)

// Revocation records that a certificate serial is revoked (IA-T2.4,
// IA-3.4). Serial is in identity.SerialString form.
type Revocation struct {
	Serial string    `json:"serial"`
	Agent  string    `json:"agent,omitempty"`
	Reason string    `json:"reason,omitempty"`
	By     string    `json:"by,omitempty"`
	At     time.Time `json:"at"`
}

// normalizeSerial lowercases serial and checks it is in SerialString
// form: hex byte pairs joined by ':'.
func normalizeSerial(serial string) (string, error) {
	s := strings.ToLower(strings.TrimSpace(serial))
	body := strings.TrimPrefix(s, "-")
	if body == "" {
		return "", fmt.Errorf("%w: empty certificate serial", ErrInvalid)
	}
	for pair := range strings.SplitSeq(body, ":") {
		if _, err := hex.DecodeString(pair); len(pair) != 2 || err != nil {
			return "", fmt.Errorf("%w: certificate serial %q: want hex byte pairs joined by ':'", ErrInvalid, serial)
		}
	}
	return s, nil
}

// Revoke records rev. Revocations are permanent: revoking a serial that
// is already revoked succeeds and keeps the first record. A zero At is
// set from the clock.
func (r *Registry) Revoke(ctx context.Context, rev Revocation) error {
	serial, err := normalizeSerial(rev.Serial)
	if err != nil {
		return err
	}
	rev.Serial = serial
	if rev.At.IsZero() {
		rev.At = r.now()
	}
	val, err := encodeJSON(rev)
	if err != nil {
		return err
	}
	key := r.key(dirRevocations, serial)
	created, err := r.txn(ctx, "revoke "+serial+" refused", []clientv3.Cmp{absent(key)}, clientv3.OpPut(key, string(val)))
	if err != nil {
		return err
	}
	if created {
		r.log.Info("certificate revoked", "serial", serial, "agent", rev.Agent, "by", rev.By, "reason", rev.Reason)
	}
	return nil
}

// Revocations returns every recorded revocation, ordered by serial.
func (r *Registry) Revocations(ctx context.Context) ([]Revocation, error) {
	kvs, _, err := r.getPrefix(ctx, "list revocations", dirRevocations)
	if err != nil {
		return nil, err
	}
	out := make([]Revocation, 0, len(kvs))
	for _, kv := range kvs {
		rev := Revocation{Serial: strings.TrimPrefix(kv.key, r.key(dirRevocations))}
		if err := decodeJSON(kv.key, kv.value, &rev); err != nil {
			r.log.Error("undecodable revocation record; serial still revoked", "err", err)
		}
		out = append(out, rev)
	}
	return out, nil
}

// WatchRevocations adds every recorded revocation to set, then keeps
// adding new ones from a watch until ctx ends: resumed from the last
// seen revision after errors (capped backoff), fully reloaded after a
// compaction. It returns once the initial load is done. The serial is
// taken from the key, so even an undecodable record revokes. Deleting a
// revocation key does not un-revoke (RevocationSet has no removal; a
// restart reloads from etcd).
func (r *Registry) WatchRevocations(ctx context.Context, set identity.RevocationSet) error {
	prefix := r.key(dirRevocations)
	return r.follow(ctx, follower{
		name: "revocations",
		key:  prefix,
		opts: []clientv3.OpOption{clientv3.WithPrefix()},
		load: func(ctx context.Context) (int64, error) {
			kvs, rev, err := r.getPrefix(ctx, "load revocations", dirRevocations)
			if err != nil {
				return 0, err
			}
			for _, kv := range kvs {
				set.Revoke(strings.TrimPrefix(kv.key, prefix))
			}
			return rev, nil
		},
		apply: func(_ context.Context, evs []*clientv3.Event) error {
			for _, ev := range evs {
				if ev.Type == mvccpb.PUT {
					set.Revoke(strings.TrimPrefix(string(ev.Kv.Key), prefix))
				}
			}
			return nil
		},
	})
}
