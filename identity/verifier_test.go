package identity

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"net/url"
	"sync"
	"testing"
	"time"
)

// verifierEnv is a CA, a credential it issued and a Verifier that trusts
// the CA.
type verifierEnv struct {
	ca    *BuiltinCA
	cred  *Credential
	bund  *MemoryBundle
	revs  *MemoryRevocations
	v     *Verifier
	start time.Time
}

func newVerifierEnv(t testing.TB) *verifierEnv {
	t.Helper()
	ca := newTestCA(t, testTD, CAOptions{})
	e := &verifierEnv{
		ca:    ca,
		cred:  newTestCred(t, ca, testTD, "intake", time.Hour),
		bund:  NewMemoryBundle(ca.Certificate()),
		revs:  NewMemoryRevocations(),
		start: time.Now(),
	}
	e.v = &Verifier{Bundle: e.bund, Revocations: e.revs, TrustDomain: testTD}
	return e
}

func TestVerifyValid(t *testing.T) {
	t.Parallel()
	e := newVerifierEnv(t)
	for i := range 2 { // cold, then cached
		p, err := e.v.Verify(e.cred.CertDER, e.start)
		if err != nil {
			t.Fatalf("Verify #%d: %v", i, err)
		}
		c := e.cred
		if p.ID != c.ID || p.Serial != c.Serial || p.Fingerprint != c.Fingerprint || !p.Cert.Equal(c.Cert) {
			t.Fatalf("Verify #%d: peer %+v does not describe credential %v", i, p, c.ID)
		}
		if !p.NotBefore.Equal(c.Cert.NotBefore) || !p.NotAfter.Equal(c.Cert.NotAfter) {
			t.Fatalf("Verify #%d: validity [%v, %v]", i, p.NotBefore, p.NotAfter)
		}
		msg := []byte("envelope bytes")
		if !ed25519.Verify(p.PublicKey, msg, c.Sign(msg)) {
			t.Fatalf("Verify #%d: peer key does not check the credential's signature", i)
		}
		p.ID = ID{} // must not leak into the cache
	}
	if n := e.v.cache.Load().len(); n != 1 {
		t.Fatalf("cache holds %d entries, want 1", n)
	}
}

func TestVerifyRejects(t *testing.T) {
	t.Parallel()
	now := time.Now()
	td := testTD

	mainDir := t.TempDir()
	ca, err := LoadOrCreateCA(mainDir, td, CAOptions{})
	if err != nil {
		t.Fatal(err)
	}
	// The same CA, reloaded with a clock two days ahead, issues certificates
	// that are not valid yet.
	future, err := LoadOrCreateCA(mainDir, td, CAOptions{Clock: func() time.Time { return now.Add(48 * time.Hour) }})
	if err != nil {
		t.Fatal(err)
	}
	past := newTestCA(t, td, CAOptions{Clock: func() time.Time { return now.Add(-48 * time.Hour) }})
	untrusted := newTestCA(t, td, CAOptions{})
	foreign := newTestCA(t, "other.org", CAOptions{})

	valid := newTestCred(t, ca, td, "valid", time.Hour)
	revoked := newTestCred(t, ca, td, "revoked", time.Hour)
	revs := NewMemoryRevocations()
	revs.Revoke(revoked.Serial)
	v := &Verifier{
		Bundle:      NewMemoryBundle(ca.Certificate(), past.Certificate(), foreign.Certificate()),
		Revocations: revs,
		TrustDomain: td,
	}

	agent := AgentID(td, "forged").URL()
	ecKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	edPub := newEd25519(t).Public()
	byCA := func(tmpl *x509.Certificate, pub any) []byte {
		return signRaw(t, tmpl, pub, ca.cert, ca.key).Raw
	}
	otherURL, _ := url.Parse("spiffe://example.org/agent/second")

	tests := []struct {
		name string
		der  []byte
		now  time.Time
		want error
	}{
		{"valid", valid.CertDER, now, nil},
		{"different CA", newTestCred(t, untrusted, td, "valid", time.Hour).CertDER, now, ErrUnknownCA},
		{"expired", newTestCred(t, past, td, "old", time.Hour).CertDER, now, ErrCertExpired},
		{"expired cert inside its window", newTestCred(t, past, td, "old", time.Hour).CertDER, now.Add(-47*time.Hour - 30*time.Minute), nil},
		{"not yet valid", newTestCred(t, future, td, "new", time.Hour).CertDER, now, ErrCertNotYetValid},
		{"future cert inside its window", newTestCred(t, future, td, "new", time.Hour).CertDER, now.Add(48*time.Hour + 30*time.Minute), nil},
		{"valid cert verified too late", valid.CertDER, now.Add(2 * time.Hour), ErrCertExpired},
		{"valid cert verified too early", valid.CertDER, now.Add(-2 * time.Minute), ErrCertNotYetValid},
		{"revoked", revoked.CertDER, now, ErrRevoked},
		{"other trust domain", newTestCred(t, foreign, "other.org", "valid", time.Hour).CertDER, now, ErrBadIdentity},
		{"ECDSA key", byCA(leafTemplate(now, agent), ecKey.Public()), now, ErrBadKey},
		{"no URI SAN", byCA(leafTemplate(now), edPub), now, ErrBadIdentity},
		{"two URI SANs", byCA(leafTemplate(now, agent, otherURL), edPub), now, ErrBadIdentity},
		{"CA certificate as leaf", ca.Certificate().Raw, now, ErrBadIdentity},
		{"CA-flagged leaf with an agent ID", byCA(caLeafTemplate(now, agent), edPub), now, ErrBadIdentity},
		{"garbage DER", []byte("definitely not a certificate"), now, ErrMalformedCert},
		{"truncated DER", valid.CertDER[:len(valid.CertDER)/2], now, ErrMalformedCert},
		{"empty", nil, now, ErrMalformedCert},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			for _, pass := range []string{"first", "second"} { // a cached result must not differ
				p, err := v.Verify(tt.der, tt.now)
				if tt.want == nil {
					if err != nil {
						t.Fatalf("%s Verify: %v", pass, err)
					}
					continue
				}
				if !errors.Is(err, tt.want) {
					t.Fatalf("%s Verify = %v, %v; want %v", pass, p, err, tt.want)
				}
			}
		})
	}
}

// caLeafTemplate is leafTemplate marked as a CA, as an issuer that signs
// an intermediate by mistake would produce.
func caLeafTemplate(now time.Time, uris ...*url.URL) *x509.Certificate {
	tmpl := leafTemplate(now, uris...)
	tmpl.BasicConstraintsValid, tmpl.IsCA = true, true
	tmpl.KeyUsage |= x509.KeyUsageCertSign
	return tmpl
}

func TestVerifyTimeCheckedOnCacheHit(t *testing.T) {
	t.Parallel()
	e := newVerifierEnv(t)
	c := e.cred.Cert
	steps := []struct {
		at   time.Time
		want error
	}{
		{e.start, nil},
		{c.NotAfter.Add(time.Second), ErrCertExpired},
		{c.NotBefore.Add(-time.Second), ErrCertNotYetValid},
		{c.NotAfter, nil},
		{c.NotBefore, nil},
	}
	for i, s := range steps {
		if _, err := e.v.Verify(e.cred.CertDER, s.at); !errors.Is(err, s.want) {
			t.Fatalf("step %d at %v: err = %v, want %v", i, s.at, err, s.want)
		}
	}
	if n := e.v.cache.Load().len(); n != 1 {
		t.Fatalf("cache holds %d entries, want 1 (later steps must be cache hits)", n)
	}
}

func TestVerifyRevokedAfterCachedSuccess(t *testing.T) {
	t.Parallel()
	e := newVerifierEnv(t)
	if _, err := e.v.Verify(e.cred.CertDER, e.start); err != nil {
		t.Fatal(err)
	}
	e.revs.Revoke(e.cred.Serial)
	if _, err := e.v.Verify(e.cred.CertDER, e.start); !errors.Is(err, ErrRevoked) {
		t.Fatalf("after revocation: err = %v, want ErrRevoked", err)
	}
}

func TestVerifyBundleChangeInvalidatesCache(t *testing.T) {
	t.Parallel()
	e := newVerifierEnv(t)
	other := newTestCA(t, testTD, CAOptions{})
	if _, err := e.v.Verify(e.cred.CertDER, e.start); err != nil {
		t.Fatal(err)
	}
	e.bund.Set(other.Certificate())
	if _, err := e.v.Verify(e.cred.CertDER, e.start); !errors.Is(err, ErrUnknownCA) {
		t.Fatalf("after Set(otherCA): err = %v, want ErrUnknownCA", err)
	}
	e.bund.Add(e.ca.Certificate())
	if _, err := e.v.Verify(e.cred.CertDER, e.start); err != nil {
		t.Fatalf("after Add(CA) again: %v", err)
	}
}

// TestVerifyCAValidity checks that the issuing CA's own validity counts,
// both on a cold verification and on a cache hit.
func TestVerifyCAValidity(t *testing.T) {
	t.Parallel()
	now := time.Now()
	mkCA := func(notBefore, notAfter time.Time) (*x509.Certificate, ed25519.PrivateKey) {
		key := newEd25519(t)
		root := signRaw(t, &x509.Certificate{
			Subject:               pkix.Name{CommonName: "short-lived root"},
			NotBefore:             notBefore,
			NotAfter:              notAfter,
			KeyUsage:              x509.KeyUsageCertSign,
			BasicConstraintsValid: true,
			IsCA:                  true,
		}, key.Public(), nil, key)
		return root, key
	}
	leafFrom := func(root *x509.Certificate, key ed25519.PrivateKey) []byte {
		tmpl := leafTemplate(now, AgentID(testTD, "a").URL())
		tmpl.NotBefore, tmpl.NotAfter = now.Add(-2*time.Hour), now.Add(5*time.Hour)
		return signRaw(t, tmpl, newEd25519(t).Public(), root, key).Raw
	}
	shortRoot, shortKey := mkCA(now.Add(-2*time.Hour), now.Add(2*time.Hour))
	lateRoot, lateKey := mkCA(now.Add(time.Hour), now.Add(10*time.Hour))
	shortLeaf, lateLeaf := leafFrom(shortRoot, shortKey), leafFrom(lateRoot, lateKey)
	newV := func() *Verifier {
		return &Verifier{Bundle: NewMemoryBundle(shortRoot, lateRoot), Revocations: NewMemoryRevocations(), TrustDomain: testTD}
	}

	warm := newV()
	if _, err := warm.Verify(shortLeaf, now); err != nil {
		t.Fatal(err)
	}
	if _, err := warm.Verify(shortLeaf, now.Add(3*time.Hour)); !errors.Is(err, ErrCertExpired) {
		t.Errorf("cache hit after CA expiry: err = %v, want ErrCertExpired", err)
	}
	if _, err := newV().Verify(shortLeaf, now.Add(3*time.Hour)); !errors.Is(err, ErrCertExpired) {
		t.Errorf("cold after CA expiry: err = %v, want ErrCertExpired", err)
	}
	if _, err := newV().Verify(lateLeaf, now); !errors.Is(err, ErrCertNotYetValid) {
		t.Errorf("cold before CA validity: err = %v, want ErrCertNotYetValid", err)
	}
	if _, err := warm.Verify(lateLeaf, now.Add(2*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if _, err := warm.Verify(lateLeaf, now); !errors.Is(err, ErrCertNotYetValid) {
		t.Errorf("cache hit before CA validity: err = %v, want ErrCertNotYetValid", err)
	}
}

func TestVerifyCacheBounded(t *testing.T) {
	t.Parallel()
	e := newVerifierEnv(t)
	e.v.CacheSize = 2
	names := []string{"a", "b", "c", "d", "e"}
	creds := make([]*Credential, len(names))
	for i, n := range names {
		creds[i] = newTestCred(t, e.ca, testTD, n, time.Hour)
	}
	for round := range 2 {
		for _, c := range creds {
			if _, err := e.v.Verify(c.CertDER, e.start); err != nil {
				t.Fatalf("round %d, %s: %v", round, c.ID, err)
			}
			if n := e.v.cache.Load().len(); n > 2 {
				t.Fatalf("cache holds %d entries, bound is 2", n)
			}
		}
	}
	// The most recent two are the ones kept.
	c := e.v.cache.Load()
	for _, cred := range creds[3:] {
		if c.get(cred.Fingerprint) == nil {
			t.Errorf("%s evicted, want it kept", cred.ID)
		}
	}
}

func TestVerifyConfig(t *testing.T) {
	t.Parallel()
	e := newVerifierEnv(t)
	tests := []struct {
		name string
		v    *Verifier
	}{
		{"no bundle", &Verifier{Revocations: e.revs, TrustDomain: testTD}},
		{"no revocations", &Verifier{Bundle: e.bund, TrustDomain: testTD}},
		{"no trust domain", &Verifier{Bundle: e.bund, Revocations: e.revs}},
	}
	for _, tt := range tests {
		if _, err := tt.v.Verify(e.cred.CertDER, e.start); !errors.Is(err, ErrVerifierConfig) {
			t.Errorf("%s: err = %v, want ErrVerifierConfig", tt.name, err)
		}
	}
	v := &Verifier{Bundle: e.bund, Revocations: e.revs, TrustDomain: "other.org"}
	if _, err := v.Verify(e.cred.CertDER, e.start); !errors.Is(err, ErrBadIdentity) {
		t.Errorf("wrong trust domain: err = %v, want ErrBadIdentity", err)
	}
}

// nilPoolBundle is a broken bundle that hands out a nil pool.
type nilPoolBundle struct{}

func (nilPoolBundle) Pool() *x509.CertPool { return nil }
func (nilPoolBundle) Version() uint64      { return 1 }

func TestVerifyNilPoolTrustsNothing(t *testing.T) {
	t.Parallel()
	// A nil x509 pool means "system roots"; the verifier must not pass one on.
	if newVerifyCache(1, nil, 1).pool == nil {
		t.Fatal("nil bundle pool kept as nil")
	}
	e := newVerifierEnv(t)
	v := &Verifier{Bundle: nilPoolBundle{}, Revocations: e.revs, TrustDomain: testTD}
	if _, err := v.Verify(e.cred.CertDER, e.start); !errors.Is(err, ErrUnknownCA) {
		t.Fatalf("err = %v, want ErrUnknownCA", err)
	}
}

func TestVerifyConcurrent(t *testing.T) {
	t.Parallel()
	e := newVerifierEnv(t)
	other := newTestCA(t, testTD, CAOptions{}).Certificate()
	creds := []*Credential{e.cred}
	for _, n := range []string{"b", "c", "d"} {
		creds = append(creds, newTestCred(t, e.ca, testTD, n, time.Hour))
	}
	victim := newTestCred(t, e.ca, testTD, "victim", time.Hour)

	var wg sync.WaitGroup
	stop := make(chan struct{})
	wg.Go(func() { // churn the bundle version; the CA stays trusted
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			if i%2 == 0 {
				e.bund.Set(e.ca.Certificate(), other)
			} else {
				e.bund.Set(e.ca.Certificate())
			}
		}
	})
	var verifiers sync.WaitGroup
	for w := range 8 {
		verifiers.Go(func() {
			for i := range 200 {
				c := creds[(w+i)%len(creds)]
				p, err := e.v.Verify(c.CertDER, e.start)
				if err != nil || !bytes.Equal(p.Cert.Raw, c.CertDER) {
					t.Errorf("Verify(%s) = %v, %v", c.ID, p, err)
					return
				}
				_, _ = e.v.Verify(victim.CertDER, e.start)
			}
		})
	}
	e.revs.Revoke(victim.Serial)
	verifiers.Wait()
	close(stop)
	wg.Wait()
	if _, err := e.v.Verify(victim.CertDER, e.start); !errors.Is(err, ErrRevoked) {
		t.Fatalf("victim after revocation: err = %v, want ErrRevoked", err)
	}
}
