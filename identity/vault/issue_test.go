package vault_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/maso-runtime/maso/identity"
	"github.com/maso-runtime/maso/identity/vault"
)

// The issuer API takes only an IssueRequest (ID, CSR, TTL, SANs): there is
// no way to hand it a private key.
var _ func(*vault.Issuer, context.Context, identity.IssueRequest) (*identity.Issued, error) = (*vault.Issuer).Issue

func TestIssue(t *testing.T) {
	srv := startVault(t)
	log, logs := newLog(t)
	iss := newIssuer(t, tokenConfig(srv, log))

	t.Run("agent credential", func(t *testing.T) {
		t.Parallel()
		start := time.Now()
		cred := issueAgent(t, iss, "intake", time.Hour)
		if len(cred.Cert.URIs) != 1 || cred.Cert.URIs[0].String() != "spiffe://claims.maso.local/agent/intake" {
			t.Errorf("URI SANs = %v, want exactly spiffe://claims.maso.local/agent/intake", cred.Cert.URIs)
		}
		if !within(cred.Cert.NotAfter, start.Add(time.Hour), time.Minute) {
			t.Errorf("NotAfter = %v, want %v ± 1m", cred.Cert.NotAfter, start.Add(time.Hour))
		}
		_, pool := anchors(t, iss)
		if _, err := cred.Cert.Verify(x509.VerifyOptions{Roots: pool, KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageAny}}); err != nil {
			t.Errorf("certificate does not chain to TrustAnchors: %v", err)
		}
		if cred.Serial != identity.SerialString(cred.Cert.SerialNumber) || !strings.Contains(cred.Serial, ":") {
			t.Errorf("Serial = %q, want the colon form of %v", cred.Serial, cred.Cert.SerialNumber)
		}
		stored := srv.Read(t, "pki/cert/"+cred.Serial)
		if stored == nil {
			t.Fatalf("Vault has no pki/cert/%s", cred.Serial)
		}
		pemText, _ := stored.Data["certificate"].(string)
		if block, _ := pem.Decode([]byte(pemText)); block == nil || !bytes.Equal(block.Bytes, cred.CertDER) {
			t.Errorf("Vault's pki/cert/%s is not the issued certificate", cred.Serial)
		}
	})

	t.Run("tier 3 lifetime", func(t *testing.T) {
		t.Parallel()
		w, err := iss.ForClass("tier3")
		if err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		cred := issueAgent(t, w, "payer", 15*time.Minute)
		if !within(cred.Cert.NotAfter, start.Add(15*time.Minute), time.Minute) {
			t.Errorf("NotAfter = %v, want %v ± 1m", cred.Cert.NotAfter, start.Add(15*time.Minute))
		}
	})

	t.Run("TTL above max_ttl is capped and logged", func(t *testing.T) {
		t.Parallel()
		w, err := iss.ForClass("write") // max_ttl 1h
		if err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		cred := issueAgent(t, w, "writer", 3*time.Hour)
		if !within(cred.Cert.NotAfter, start.Add(time.Hour), time.Minute) {
			t.Errorf("NotAfter = %v, want capped to %v ± 1m", cred.Cert.NotAfter, start.Add(time.Hour))
		}
		out := logs.String()
		if !strings.Contains(out, "lifetime capped") || !strings.Contains(out, "serial="+cred.Serial) || !strings.Contains(out, "requested=3h0m0s") {
			t.Errorf("no capped-lifetime warning for %s in the log:\n%s", cred.Serial, out)
		}
	})

	t.Run("unknown class", func(t *testing.T) {
		t.Parallel()
		if _, err := iss.ForClass("admin"); !errors.Is(err, vault.ErrConfig) {
			t.Errorf("ForClass(admin) error = %v, want ErrConfig", err)
		}
	})

	t.Run("verifier", func(t *testing.T) {
		t.Parallel()
		testVerifier(t, iss)
	})

	t.Run("request checks", func(t *testing.T) {
		t.Parallel()
		testRequestChecks(t, iss)
	})

	t.Run("role refuses other trust domain", func(t *testing.T) {
		t.Parallel()
		_, err := identity.NewCredential(context.Background(), iss, identity.AgentID("evil.example", "intake"), time.Hour)
		if !errors.Is(err, vault.ErrRejected) {
			t.Errorf("issue for another trust domain: error = %v, want ErrRejected", err)
		}
		t.Logf("other trust domain: %v", err)
	})
}

// testVerifier checks that a Verifier trusting Vault's anchors accepts a
// Vault credential and refuses one from another CA for the same ID.
func testVerifier(t *testing.T, iss *vault.Issuer) {
	certs, _ := anchors(t, iss)
	v := &identity.Verifier{
		Bundle:      identity.NewMemoryBundle(certs...),
		Revocations: identity.NewMemoryRevocations(),
		TrustDomain: td,
	}
	cred := issueAgent(t, iss, "triage", time.Hour)
	peer, err := v.Verify(cred.CertDER, time.Now())
	if err != nil {
		t.Fatalf("Verify(Vault credential): %v", err)
	}
	if peer.ID != cred.ID || peer.Serial != cred.Serial {
		t.Errorf("peer = %s %s, want %s %s", peer.ID, peer.Serial, cred.ID, cred.Serial)
	}

	other, err := identity.LoadOrCreateCA(t.TempDir(), td, identity.CAOptions{})
	if err != nil {
		t.Fatal(err)
	}
	spoof := issueAgent(t, other, "triage", time.Hour)
	if _, err := v.Verify(spoof.CertDER, time.Now()); !errors.Is(err, identity.ErrUnknownCA) {
		t.Errorf("Verify(credential from another CA) error = %v, want ErrUnknownCA", err)
	}
}

// testRequestChecks sends bad requests that must be refused before Vault
// is asked.
func testRequestChecks(t *testing.T, iss *vault.Issuer) {
	id := identity.AgentID(td, "intake")
	good := csrFor(t, id, ed25519Key(t))
	rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		req  identity.IssueRequest
		want error
	}{
		{"zero TTL", identity.IssueRequest{ID: id, CSR: good}, identity.ErrTTL},
		{"invalid ID", identity.IssueRequest{ID: identity.AgentID(td, "Bad"), CSR: good, TTL: time.Hour}, identity.ErrInvalidID},
		{"garbage CSR", identity.IssueRequest{ID: id, CSR: []byte("nope"), TTL: time.Hour}, identity.ErrCSRMalformed},
		{"CSR for another ID", identity.IssueRequest{ID: identity.AgentID(td, "payer"), CSR: good, TTL: time.Hour}, identity.ErrCSRIdentity},
		{"RSA key", identity.IssueRequest{ID: id, CSR: csrFor(t, id, rsaKey), TTL: time.Hour}, identity.ErrCSRKeyType},
	}
	for _, tt := range tests {
		if _, err := iss.Issue(context.Background(), tt.req); !errors.Is(err, tt.want) {
			t.Errorf("%s: error = %v, want %v", tt.name, err, tt.want)
		}
	}
}

func ed25519Key(t *testing.T) ed25519.PrivateKey {
	t.Helper()
	_, key, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return key
}

func csrFor(t *testing.T, id identity.ID, key any) []byte {
	t.Helper()
	der, err := x509.CreateCertificateRequest(rand.Reader, &x509.CertificateRequest{URIs: []*url.URL{id.URL()}}, key)
	if err != nil {
		t.Fatal(err)
	}
	return der
}

// TestKeyNeverSent records every request body that reaches Vault through a
// loopback proxy and checks that the private key is in none of them.
func TestKeyNeverSent(t *testing.T) {
	srv := startVault(t)
	target, err := url.Parse(srv.Addr)
	if err != nil {
		t.Fatal(err)
	}
	var (
		mu     sync.Mutex
		bodies []string
	)
	proxy := httputil.NewSingleHostReverseProxy(target)
	front := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		mu.Lock()
		bodies = append(bodies, r.URL.Path+" "+string(body))
		mu.Unlock()
		r.Body = io.NopCloser(strings.NewReader(string(body)))
		proxy.ServeHTTP(w, r)
	}))
	t.Cleanup(front.Close)

	c := tokenConfig(srv, nil)
	c.Address = front.URL // httptest listens on 127.0.0.1
	cred := issueAgent(t, newIssuer(t, c), "intake", time.Hour)

	seed := cred.Key.Seed()
	secrets := []string{
		hex.EncodeToString(seed), base64.StdEncoding.EncodeToString(seed),
		base64.StdEncoding.EncodeToString(cred.Key), "PRIVATE KEY",
	}
	mu.Lock()
	defer mu.Unlock()
	signed := false
	for _, b := range bodies {
		signed = signed || (strings.HasPrefix(b, "/v1/pki/sign/agent ") && strings.Contains(b, "CERTIFICATE REQUEST"))
		for _, s := range secrets {
			if strings.Contains(b, s) {
				t.Errorf("request %q carries private key material", b[:strings.IndexByte(b, ' ')])
			}
		}
	}
	if !signed {
		t.Errorf("no sign request with a CSR went through the proxy; saw %d requests", len(bodies))
	}
}
