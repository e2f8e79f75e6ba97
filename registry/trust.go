package registry

import (
	"context"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"fmt"
	"maps"
	"slices"

	"go.etcd.io/etcd/api/v3/mvccpb"
	clientv3 "go.etcd.io/etcd/client/v3"

	"github.com/maso-runtime/maso/identity"
)

// certKey returns the key segment of a trust anchor: the hex SHA-256 of
// its DER.
func certKey(cert *x509.Certificate) string {
	sum := sha256.Sum256(cert.Raw)
	return hex.EncodeToString(sum[:])
}

// PutTrustAnchor adds cert, which must be a CA certificate, to the trust
// bundle kept in etcd (IA-2.3).
func (r *Registry) PutTrustAnchor(ctx context.Context, cert *x509.Certificate) error {
	if cert == nil || len(cert.Raw) == 0 || !cert.IsCA {
		return fmt.Errorf("%w: trust anchor must be a parsed CA certificate", ErrInvalid)
	}
	block := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cert.Raw})
	return r.put(ctx, "add trust anchor refused", r.key(dirTrust, certKey(cert)), block)
}

// DeleteTrustAnchor removes cert from the trust bundle (CA rotation).
func (r *Registry) DeleteTrustAnchor(ctx context.Context, cert *x509.Certificate) error {
	if cert == nil || len(cert.Raw) == 0 {
		return fmt.Errorf("%w: nil trust anchor", ErrInvalid)
	}
	octx, cancel := r.opCtx(ctx)
	defer cancel()
	if _, err := r.cli.Delete(octx, r.key(dirTrust, certKey(cert))); err != nil {
		return r.fail(ctx, octx, "remove trust anchor refused", err)
	}
	return nil
}

// TrustAnchors returns the CA certificates of the trust bundle.
func (r *Registry) TrustAnchors(ctx context.Context) ([]*x509.Certificate, error) {
	kvs, _, err := r.getPrefix(ctx, "list trust anchors", dirTrust)
	if err != nil {
		return nil, err
	}
	out := make([]*x509.Certificate, 0, len(kvs))
	for _, kv := range kvs {
		c, err := parseAnchor(kv.key, kv.value)
		if err != nil {
			r.log.Error("undecodable trust anchor skipped", "err", err)
			continue
		}
		out = append(out, c)
	}
	return out, nil
}

func parseAnchor(key string, value []byte) (*x509.Certificate, error) {
	block, _ := pem.Decode(value)
	if block == nil || block.Type != "CERTIFICATE" {
		return nil, fmt.Errorf("%w: %s: not a PEM certificate", ErrCorrupt, key)
	}
	c, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %w", ErrCorrupt, key, err)
	}
	return c, nil
}

// WatchTrustBundle sets b to the anchors stored in etcd, then calls
// b.Set with the full set again on every change, until ctx ends. It
// returns once the initial load is done. The registry is the source of
// truth: an empty trust/ directory empties b, so put the local CA first.
func (r *Registry) WatchTrustBundle(ctx context.Context, b *identity.MemoryBundle) error {
	tf := &trustFollower{r: r, b: b, certs: map[string]*x509.Certificate{}}
	return r.follow(ctx, follower{
		name:  "trust",
		key:   r.key(dirTrust),
		opts:  []clientv3.OpOption{clientv3.WithPrefix()},
		load:  tf.load,
		apply: tf.apply,
	})
}

// trustFollower mirrors trust/ into a MemoryBundle.
type trustFollower struct {
	r     *Registry
	b     *identity.MemoryBundle
	certs map[string]*x509.Certificate // by key
}

func (t *trustFollower) load(ctx context.Context) (int64, error) {
	kvs, rev, err := t.r.getPrefix(ctx, "load trust anchors", dirTrust)
	if err != nil {
		return 0, err
	}
	clear(t.certs)
	for _, kv := range kvs {
		t.store(kv.key, kv.value)
	}
	t.publish()
	return rev, nil
}

func (t *trustFollower) apply(_ context.Context, evs []*clientv3.Event) error {
	for _, ev := range evs {
		if ev.Type == mvccpb.DELETE {
			delete(t.certs, string(ev.Kv.Key))
			continue
		}
		t.store(string(ev.Kv.Key), ev.Kv.Value)
	}
	t.publish()
	return nil
}

func (t *trustFollower) store(key string, value []byte) {
	c, err := parseAnchor(key, value)
	if err != nil {
		delete(t.certs, key)
		t.r.log.Error("undecodable trust anchor skipped", "err", err)
		return
	}
	t.certs[key] = c
}

// publish sets the bundle to the current anchors, in key order.
func (t *trustFollower) publish() {
	keys := slices.Sorted(maps.Keys(t.certs))
	certs := make([]*x509.Certificate, 0, len(keys))
	for _, k := range keys {
		certs = append(certs, t.certs[k])
	}
	t.b.Set(certs...)
}
