package identity

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/x509"
	"fmt"
	"net/url"
	"slices"
	"time"
)

// Issue signs req.CSR for req.ID (IA-2.1). It checks, in order, that
// req.ID is valid and in the CA's trust domain (ErrInvalidID,
// ErrTrustDomainMismatch), that the CSR parses (ErrCSRMalformed) and its
// signature verifies (ErrCSRSignature), that its key is Ed25519
// (ErrCSRKeyType), that its only URI SAN is req.ID (ErrCSRIdentity), and
// that 0 < TTL <= MaxTTL and the certificate would not outlive the CA
// (ErrTTL).
//
// The certificate has a random positive 128-bit serial, NotBefore one
// minute before now and NotAfter now+TTL, key usage DigitalSignature,
// extended key usages ClientAuth and ServerAuth, the URI SAN req.ID and the
// DNS and IP SANs of req (the CSR's own DNS and IP SANs are ignored).
func (ca *BuiltinCA) Issue(ctx context.Context, req IssueRequest) (*Issued, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := ca.checkRequestID(req.ID); err != nil {
		return nil, err
	}
	pub, err := checkCSR(req.CSR, req.ID)
	if err != nil {
		return nil, err
	}
	now := ca.opts.Clock()
	if err := ca.checkTTL(req.TTL, now); err != nil {
		return nil, err
	}
	cert, err := ca.sign(req, pub, now)
	if err != nil {
		return nil, err
	}
	return &Issued{
		Cert:   cert,
		Chain:  []*x509.Certificate{ca.cert},
		Serial: SerialString(cert.SerialNumber),
	}, nil
}

func (ca *BuiltinCA) checkRequestID(id ID) error {
	if err := id.Validate(); err != nil {
		return err
	}
	if id.TrustDomain != ca.trustDomain {
		return fmt.Errorf("%w: %s is not in trust domain %q of this CA",
			ErrTrustDomainMismatch, id, ca.trustDomain)
	}
	return nil
}

// checkCSR parses der and returns its Ed25519 key once the CSR is known to
// be self-signed and to name exactly id.
func checkCSR(der []byte, id ID) (ed25519.PublicKey, error) {
	csr, err := x509.ParseCertificateRequest(der)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrCSRMalformed, err)
	}
	if err := csr.CheckSignature(); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrCSRSignature, err)
	}
	pub, ok := csr.PublicKey.(ed25519.PublicKey)
	if !ok {
		return nil, fmt.Errorf("%w: got %T", ErrCSRKeyType, csr.PublicKey)
	}
	if len(csr.URIs) != 1 {
		return nil, fmt.Errorf("%w: CSR has %d URI SANs, want exactly %s", ErrCSRIdentity, len(csr.URIs), id)
	}
	if got := csr.URIs[0].String(); got != id.String() {
		return nil, fmt.Errorf("%w: CSR is for %q, request is for %s", ErrCSRIdentity, got, id)
	}
	return pub, nil
}

func (ca *BuiltinCA) checkTTL(ttl time.Duration, now time.Time) error {
	if ttl <= 0 {
		return fmt.Errorf("%w: %v is not positive", ErrTTL, ttl)
	}
	if ttl > ca.opts.MaxTTL {
		return fmt.Errorf("%w: %v exceeds the CA's maximum %v", ErrTTL, ttl, ca.opts.MaxTTL)
	}
	if now.Add(ttl).After(ca.cert.NotAfter) {
		return fmt.Errorf("%w: %v would outlive the CA certificate, which expires at %s",
			ErrTTL, ttl, ca.cert.NotAfter.UTC().Format(time.RFC3339))
	}
	return nil
}

func (ca *BuiltinCA) sign(req IssueRequest, pub ed25519.PublicKey, now time.Time) (*x509.Certificate, error) {
	serial, err := randomSerial()
	if err != nil {
		return nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		NotBefore:             now.Add(-backdate),
		NotAfter:              now.Add(req.TTL),
		KeyUsage:              x509.KeyUsageDigitalSignature,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth, x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		URIs:                  []*url.URL{req.ID.URL()},
		DNSNames:              slices.Clone(req.DNSNames),
		IPAddresses:           slices.Clone(req.IPAddresses),
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca.cert, pub, ca.key)
	if err != nil {
		return nil, fmt.Errorf("identity: sign certificate for %s: %w", req.ID, err)
	}
	return x509.ParseCertificate(der)
}
