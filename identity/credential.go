package identity

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net"
	"net/url"
	"time"
)

// Credential is one principal's live key and certificate (IA-1.2: each
// principal has its own). Treat it as immutable; rotation replaces the
// whole Credential.
type Credential struct {
	ID          ID
	Key         ed25519.PrivateKey
	Cert        *x509.Certificate
	CertDER     []byte
	Chain       []*x509.Certificate
	Serial      string
	Fingerprint [32]byte // SHA-256 of CertDER
}

// NewCredential generates a fresh Ed25519 key locally, builds a CSR whose
// only URI SAN is id, and asks iss to sign it for ttl. The private key
// never leaves this process.
func NewCredential(ctx context.Context, iss Issuer, id ID, ttl time.Duration) (*Credential, error) {
	return NewTLSCredential(ctx, iss, id, ttl, nil, nil)
}

// NewTLSCredential is NewCredential with DNS and IP SANs, for a node's
// mTLS certificate. The SANs go both into the CSR and into the request.
func NewTLSCredential(ctx context.Context, iss Issuer, id ID, ttl time.Duration, dns []string, ips []net.IP) (*Credential, error) {
	if err := id.Validate(); err != nil {
		return nil, err
	}
	if ttl <= 0 {
		return nil, fmt.Errorf("%w: %v is not positive", ErrTTL, ttl)
	}
	pub, key, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("identity: generate key for %s: %w", id, err)
	}
	csr, err := x509.CreateCertificateRequest(rand.Reader, &x509.CertificateRequest{
		URIs:        []*url.URL{id.URL()},
		DNSNames:    dns,
		IPAddresses: ips,
	}, key)
	if err != nil {
		return nil, fmt.Errorf("identity: build CSR for %s: %w", id, err)
	}
	out, err := iss.Issue(ctx, IssueRequest{ID: id, CSR: csr, TTL: ttl, DNSNames: dns, IPAddresses: ips})
	if err != nil {
		return nil, fmt.Errorf("identity: issue certificate for %s: %w", id, err)
	}
	if err := checkIssued(out, id, pub); err != nil {
		return nil, err
	}
	return &Credential{
		ID:          id,
		Key:         key,
		Cert:        out.Cert,
		CertDER:     out.Cert.Raw,
		Chain:       out.Chain,
		Serial:      SerialString(out.Cert.SerialNumber),
		Fingerprint: sha256.Sum256(out.Cert.Raw),
	}, nil
}

// checkIssued makes sure an Issuer's answer certifies our key for id.
func checkIssued(is *Issued, id ID, pub ed25519.PublicKey) error {
	if is == nil || is.Cert == nil {
		return fmt.Errorf("%w: no certificate for %s", ErrIssuerResponse, id)
	}
	got, ok := is.Cert.PublicKey.(ed25519.PublicKey)
	if !ok || !bytes.Equal(got, pub) {
		return fmt.Errorf("%w: certificate for %s does not hold the requested key", ErrIssuerResponse, id)
	}
	certID, err := IDFromCert(is.Cert)
	if err != nil {
		return fmt.Errorf("%w: certificate for %s: %w", ErrIssuerResponse, id, err)
	}
	if certID != id {
		return fmt.Errorf("%w: asked for %s, got %s", ErrIssuerResponse, id, certID)
	}
	return nil
}

// TLSCertificate returns the credential as a tls.Certificate: the leaf
// followed by the issuing chain, with the private key.
func (c *Credential) TLSCertificate() tls.Certificate {
	chain := make([][]byte, 0, 1+len(c.Chain))
	chain = append(chain, c.CertDER)
	for _, ca := range c.Chain {
		chain = append(chain, ca.Raw)
	}
	return tls.Certificate{Certificate: chain, PrivateKey: c.Key, Leaf: c.Cert}
}

// Sign signs msg with the credential's Ed25519 key.
func (c *Credential) Sign(msg []byte) []byte {
	return ed25519.Sign(c.Key, msg)
}

// NotAfter returns the end of the certificate's validity.
func (c *Credential) NotAfter() time.Time {
	return c.Cert.NotAfter
}
