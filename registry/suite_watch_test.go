package registry_test

import (
	"crypto/ed25519"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"math/big"
	"strings"
	"testing"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"

	"github.com/maso-runtime/maso/identity"
	"github.com/maso-runtime/maso/registry"
)

func testTokens(t *testing.T, eps []string) {
	ctx := ctxT(t, 20*time.Second)
	r := connect(t, eps)
	tok, err := r.CreateToken(ctx, "admin", "ops", "root")
	must(t, err)
	if len(tok) != 64 {
		t.Fatalf("token %q: want 64 hex characters", tok)
	}
	rec, ok, err := r.LookupToken(ctx, tok)
	if err != nil || !ok || rec.Role != "admin" || rec.Name != "ops" || rec.CreatedBy != "root" || rec.CreatedAt.IsZero() {
		t.Fatalf("LookupToken = %+v, %v, %v", rec, ok, err)
	}
	if _, ok, err := r.LookupToken(ctx, strings.Repeat("0", 64)); ok || err != nil {
		t.Fatalf("unknown token found: %v, %v", ok, err)
	}
	const bootstrap = "bootstrap-admin-token-0123456789"
	must(t, r.PutTokenHash(ctx, bootstrap, registry.TokenRecord{Role: "admin", Name: "bootstrap"}))
	if rec, ok, _ := r.LookupToken(ctx, bootstrap); !ok || rec.Name != "bootstrap" {
		t.Fatalf("bootstrap token lookup = %+v, %v", rec, ok)
	}
	if err := r.PutTokenHash(ctx, bootstrap, registry.TokenRecord{}); !errors.Is(err, registry.ErrInvalid) {
		t.Fatalf("token without role: %v, want ErrInvalid", err)
	}
	// Only hashes are stored: neither token appears in any key or value.
	resp, err := r.Client().Get(ctx, testPrefix(t), clientv3.WithPrefix())
	must(t, err)
	if len(resp.Kvs) != 2 {
		t.Fatalf("%d keys under the prefix, want 2 token records", len(resp.Kvs))
	}
	for _, kv := range resp.Kvs {
		for _, secret := range []string{tok, bootstrap} {
			if strings.Contains(string(kv.Key), secret) || strings.Contains(string(kv.Value), secret) {
				t.Fatalf("token stored in clear at %s", kv.Key)
			}
		}
		if !strings.HasPrefix(string(kv.Key), testPrefix(t)+"tokens/") || len(string(kv.Key))-len(testPrefix(t)+"tokens/") != 64 {
			t.Fatalf("token key %s is not tokens/<sha256 hex>", kv.Key)
		}
	}
}

func testTokenCache(t *testing.T, eps []string) {
	ctx := ctxT(t, 20*time.Second)
	r := connect(t, eps)
	first, err := r.CreateToken(ctx, "viewer", "dash", "root")
	must(t, err)
	c, err := r.WatchTokens(ctx)
	must(t, err)
	if rec, ok := c.Lookup(first); !ok || rec.Role != "viewer" {
		t.Fatalf("cache misses a token created before the watch: %+v, %v", rec, ok)
	}
	second, err := r.CreateToken(ctx, "admin", "ops", "root")
	must(t, err)
	waitFor(t, time.Second, func() bool { _, ok := c.Lookup(second); return ok }, "cache did not pick up a new token")
	must(t, r.DeleteToken(ctx, first))
	waitFor(t, time.Second, func() bool { _, ok := c.Lookup(first); return !ok }, "cache still accepts a deleted token")
	if _, ok := c.Lookup(""); ok {
		t.Fatal("empty token accepted")
	}
}

func testRevocations(t *testing.T, eps []string) {
	ctx := ctxT(t, 20*time.Second)
	r := connect(t, eps)
	must(t, r.Revoke(ctx, registry.Revocation{Serial: "0A:0B", Agent: "alpha", Reason: "drift", By: "monitor"}))
	set := identity.NewMemoryRevocations()
	must(t, r.WatchRevocations(ctx, set))
	if !set.IsRevoked("0a:0b") {
		t.Fatal("revocation made before the watch is missing after the initial load")
	}
	must(t, r.Revoke(ctx, registry.Revocation{Serial: "0c:0d", Agent: "beta", By: "sec-1"}))
	waitFor(t, time.Second, func() bool { return set.IsRevoked("0c:0d") }, "new revocation not seen")
	must(t, r.Revoke(ctx, registry.Revocation{Serial: "0c:0d", Reason: "again"})) // idempotent
	list, err := r.Revocations(ctx)
	if err != nil || len(list) != 2 || list[1].Agent != "beta" {
		t.Fatalf("Revocations = %+v, %v; want the first record kept", list, err)
	}
	if err := r.Revoke(ctx, registry.Revocation{Serial: "zz"}); !errors.Is(err, registry.ErrInvalid) {
		t.Fatalf("bad serial: %v, want ErrInvalid", err)
	}
}

// newCA returns a self-signed Ed25519 CA certificate.
func newCA(t testing.TB, cn string) *x509.Certificate {
	t.Helper()
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	must(t, err)
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(time.Now().UnixNano()),
		Subject:               pkix.Name{CommonName: cn},
		NotBefore:             time.Now().Add(-time.Minute),
		NotAfter:              time.Now().Add(time.Hour),
		IsCA:                  true,
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageCertSign,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, pub, priv)
	must(t, err)
	c, err := x509.ParseCertificate(der)
	must(t, err)
	return c
}

func bundleNames(b *identity.MemoryBundle) string {
	var names []string
	for _, c := range b.Certificates() {
		names = append(names, c.Subject.CommonName)
	}
	return strings.Join(names, ",")
}

func testTrustBundle(t *testing.T, eps []string) {
	ctx := ctxT(t, 20*time.Second)
	r := connect(t, eps)
	ca1, ca2 := newCA(t, "ca-1"), newCA(t, "ca-2")
	must(t, r.PutTrustAnchor(ctx, ca1))
	b := identity.NewMemoryBundle()
	must(t, r.WatchTrustBundle(ctx, b))
	if got := bundleNames(b); got != "ca-1" {
		t.Fatalf("bundle after load = %q, want ca-1", got)
	}
	v := b.Version()
	must(t, r.PutTrustAnchor(ctx, ca2))
	waitFor(t, time.Second, func() bool { return len(b.Certificates()) == 2 }, "bundle did not gain ca-2: %q", bundleNames(b))
	if b.Version() <= v {
		t.Fatalf("bundle version %d did not increase from %d", b.Version(), v)
	}
	must(t, r.DeleteTrustAnchor(ctx, ca1))
	waitFor(t, time.Second, func() bool { return bundleNames(b) == "ca-2" }, "bundle = %q, want ca-2 only", bundleNames(b))
	leaf := *ca2
	leaf.IsCA = false
	if err := r.PutTrustAnchor(ctx, &leaf); !errors.Is(err, registry.ErrInvalid) {
		t.Fatalf("non-CA anchor: %v, want ErrInvalid", err)
	}
}

func testSettings(t *testing.T, eps []string) {
	ctx := ctxT(t, 20*time.Second)
	r := connect(t, eps)
	var f float64
	if ok, err := r.Setting(ctx, "drift_threshold_factor", &f); ok || err != nil {
		t.Fatalf("unset setting: %v, %v", ok, err)
	}
	must(t, r.PutSetting(ctx, "drift_threshold_factor", 0.5))
	if ok, err := r.Setting(ctx, "drift_threshold_factor", &f); !ok || err != nil || f != 0.5 {
		t.Fatalf("setting = %v, %v, %v", f, ok, err)
	}
	if err := r.PutSetting(ctx, "a/b", 1); !errors.Is(err, registry.ErrInvalid) {
		t.Fatalf("setting name with '/': %v, want ErrInvalid", err)
	}
	must(t, r.Healthy(ctx))
}
