package identity

import (
	"context"
	"crypto"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"net/url"
	"testing"
	"time"
)

const testTD = "example.org"

// newTestCA creates a CA for td in a fresh temporary directory.
func newTestCA(t testing.TB, td string, opts CAOptions) *BuiltinCA {
	t.Helper()
	ca, err := LoadOrCreateCA(t.TempDir(), td, opts)
	if err != nil {
		t.Fatalf("LoadOrCreateCA: %v", err)
	}
	return ca
}

// newTestCred issues a credential for an agent called name.
func newTestCred(t testing.TB, iss Issuer, td, name string, ttl time.Duration) *Credential {
	t.Helper()
	cred, err := NewCredential(context.Background(), iss, AgentID(td, name), ttl)
	if err != nil {
		t.Fatalf("NewCredential(%s): %v", name, err)
	}
	return cred
}

// newCSR builds a CSR signed by key with the given URI SANs.
func newCSR(t testing.TB, key crypto.Signer, uris ...string) []byte {
	t.Helper()
	tmpl := &x509.CertificateRequest{}
	for _, s := range uris {
		u, err := url.Parse(s)
		if err != nil {
			t.Fatalf("url.Parse(%q): %v", s, err)
		}
		tmpl.URIs = append(tmpl.URIs, u)
	}
	der, err := x509.CreateCertificateRequest(rand.Reader, tmpl, key)
	if err != nil {
		t.Fatalf("CreateCertificateRequest: %v", err)
	}
	return der
}

func newEd25519(t testing.TB) ed25519.PrivateKey {
	t.Helper()
	_, key, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return key
}

// signRaw lets tests mint certificates the CA's Issue would refuse.
// tmpl gets a serial if it has none; the certificate is signed by
// parent/parentKey (self-signed when parent is nil).
func signRaw(t testing.TB, tmpl *x509.Certificate, pub crypto.PublicKey, parent *x509.Certificate, parentKey crypto.Signer) *x509.Certificate {
	t.Helper()
	if tmpl.SerialNumber == nil {
		tmpl.SerialNumber = big.NewInt(time.Now().UnixNano())
	}
	if parent == nil {
		parent = tmpl
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, pub, parentKey)
	if err != nil {
		t.Fatalf("CreateCertificate: %v", err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return cert
}

// leafTemplate is a leaf valid around now for the given URI SANs.
func leafTemplate(now time.Time, uris ...*url.URL) *x509.Certificate {
	return &x509.Certificate{
		Subject:     pkix.Name{CommonName: "test leaf"},
		NotBefore:   now.Add(-time.Hour),
		NotAfter:    now.Add(time.Hour),
		KeyUsage:    x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
		URIs:        uris,
	}
}
