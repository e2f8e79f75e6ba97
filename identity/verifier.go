package identity

import (
	"crypto/ed25519"
	"crypto/sha256"
	"crypto/x509"
	"errors"
	"fmt"
	"sync/atomic"
	"time"
)

// DefaultVerifyCacheSize is the number of chain verifications a Verifier
// caches unless Verifier.CacheSize says otherwise.
const DefaultVerifyCacheSize = 4096

// Peer is a verified signer.
type Peer struct {
	ID                  ID
	Serial              string
	NotBefore, NotAfter time.Time
	PublicKey           ed25519.PublicKey
	Fingerprint         [32]byte // SHA-256 of the certificate DER
	Cert                *x509.Certificate
}

// Verifier checks a presented leaf certificate on the message hot path
// (IA-2.3: mutual authentication; unknown or expired identities are
// rejected).
//
// Verify chains the certificate to Bundle, requires an Ed25519 key and a
// SPIFFE ID in TrustDomain, and caches successful chain verifications by
// certificate fingerprint, dropping the cache whenever Bundle.Version
// changes. Time validity and revocation are checked on every call and
// never cached. The bundle's certificates are trust anchors: a CA that
// issues leaves directly must itself be in the bundle, because only the
// leaf is presented.
//
// Set the fields before the first call and do not change them or copy
// the Verifier afterwards. A Verifier is safe for concurrent use.
type Verifier struct {
	Bundle      TrustBundle
	Revocations RevocationSet
	TrustDomain string
	// CacheSize bounds the cache. Zero means DefaultVerifyCacheSize.
	CacheSize int

	cache atomic.Pointer[verifyCache]
}

// cacheEntry is the time-independent outcome of a successful chain
// verification, plus the validity window of the chain it found.
type cacheEntry struct {
	peer                          Peer
	chainNotBefore, chainNotAfter time.Time
}

// Verify checks certDER, a DER leaf certificate, at time now and returns
// the verified peer. Errors wrap one of ErrMalformedCert, ErrUnknownCA,
// ErrCertExpired, ErrCertNotYetValid, ErrRevoked, ErrBadIdentity, ErrBadKey
// or ErrVerifierConfig.
func (v *Verifier) Verify(certDER []byte, now time.Time) (*Peer, error) {
	if err := v.checkConfig(); err != nil {
		return nil, err
	}
	if len(certDER) == 0 {
		return nil, fmt.Errorf("%w: empty", ErrMalformedCert)
	}
	return v.verify(certDER, sha256.Sum256(certDER), now)
}

// verify is Verify once the fingerprint fp of der is known.
func (v *Verifier) verify(der []byte, fp [32]byte, now time.Time) (*Peer, error) {
	c := v.cacheFor(v.Bundle.Version())
	e := c.get(fp)
	if e == nil {
		var err error
		if e, err = v.verifyChain(der, fp, c.pool, now); err != nil {
			return nil, err
		}
		if v.Bundle.Version() == c.version {
			c.put(fp, e)
		}
	}
	if err := v.checkLive(e, now); err != nil {
		return nil, err
	}
	p := e.peer
	return &p, nil
}

func (v *Verifier) checkConfig() error {
	switch {
	case v.Bundle == nil:
		return fmt.Errorf("%w: no trust bundle", ErrVerifierConfig)
	case v.Revocations == nil:
		return fmt.Errorf("%w: no revocation set", ErrVerifierConfig)
	case v.TrustDomain == "":
		return fmt.Errorf("%w: no trust domain", ErrVerifierConfig)
	}
	return nil
}

// checkLive applies the checks that are never cached: the validity of the
// leaf and of its chain at now, and revocation. It allocates only when it
// fails.
func (v *Verifier) checkLive(e *cacheEntry, now time.Time) error {
	p := &e.peer
	if err := outsideWindow(p.NotBefore, p.NotAfter, now); err != nil {
		return windowError(err, p.ID.String(), p.NotBefore, p.NotAfter, now)
	}
	if err := outsideWindow(e.chainNotBefore, e.chainNotAfter, now); err != nil {
		return windowError(err, "issuing CA of "+p.ID.String(), e.chainNotBefore, e.chainNotAfter, now)
	}
	if v.Revocations.IsRevoked(p.Serial) {
		return fmt.Errorf("%w: %s serial %s", ErrRevoked, p.ID, p.Serial)
	}
	return nil
}

// outsideWindow returns ErrCertNotYetValid or ErrCertExpired when now is
// outside [notBefore, notAfter], else nil.
func outsideWindow(notBefore, notAfter, now time.Time) error {
	switch {
	case now.Before(notBefore):
		return ErrCertNotYetValid
	case now.After(notAfter):
		return ErrCertExpired
	}
	return nil
}

// windowError describes an outsideWindow failure of what.
func windowError(sentinel error, what string, notBefore, notAfter, now time.Time) error {
	const layout = time.RFC3339
	if sentinel == ErrCertNotYetValid {
		return fmt.Errorf("%w: %s is valid from %s, now is %s",
			sentinel, what, notBefore.UTC().Format(layout), now.UTC().Format(layout))
	}
	return fmt.Errorf("%w: %s expired at %s, now is %s",
		sentinel, what, notAfter.UTC().Format(layout), now.UTC().Format(layout))
}

// verifyChain does the full, uncached verification of der.
func (v *Verifier) verifyChain(der []byte, fp [32]byte, pool *x509.CertPool, now time.Time) (*cacheEntry, error) {
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrMalformedCert, err)
	}
	if err := outsideWindow(cert.NotBefore, cert.NotAfter, now); err != nil {
		return nil, windowError(err, "certificate", cert.NotBefore, cert.NotAfter, now)
	}
	chains, err := cert.Verify(x509.VerifyOptions{
		Roots:       pool,
		CurrentTime: now,
		KeyUsages:   []x509.ExtKeyUsage{x509.ExtKeyUsageAny},
	})
	if err != nil {
		return nil, chainError(err, now)
	}
	id, pub, err := v.checkLeaf(cert)
	if err != nil {
		return nil, err
	}
	e := &cacheEntry{peer: Peer{
		ID:          id,
		Serial:      SerialString(cert.SerialNumber),
		NotBefore:   cert.NotBefore,
		NotAfter:    cert.NotAfter,
		PublicKey:   pub,
		Fingerprint: fp,
		Cert:        cert,
	}}
	e.chainNotBefore, e.chainNotAfter = chainWindow(chains)
	return e, nil
}

// checkLeaf requires a non-CA leaf with an Ed25519 key and a SPIFFE ID in
// the verifier's trust domain.
func (v *Verifier) checkLeaf(cert *x509.Certificate) (ID, ed25519.PublicKey, error) {
	if cert.IsCA {
		return ID{}, nil, fmt.Errorf("%w: CA certificate presented as a leaf", ErrBadIdentity)
	}
	pub, ok := cert.PublicKey.(ed25519.PublicKey)
	if !ok {
		return ID{}, nil, fmt.Errorf("%w: got %T", ErrBadKey, cert.PublicKey)
	}
	id, err := IDFromCert(cert)
	if err != nil {
		return ID{}, nil, fmt.Errorf("%w: %w", ErrBadIdentity, err)
	}
	if id.TrustDomain != v.TrustDomain {
		return ID{}, nil, fmt.Errorf("%w: %s is not in trust domain %q", ErrBadIdentity, id, v.TrustDomain)
	}
	return id, pub, nil
}

// chainError maps an x509 verification failure to a sentinel. The leaf's
// own validity is checked before, so a time failure here is the CA's.
func chainError(err error, now time.Time) error {
	var inv x509.CertificateInvalidError
	if errors.As(err, &inv) && inv.Reason == x509.Expired {
		if inv.Cert != nil && now.Before(inv.Cert.NotBefore) {
			return fmt.Errorf("%w: issuing CA: %w", ErrCertNotYetValid, err)
		}
		return fmt.Errorf("%w: issuing CA: %w", ErrCertExpired, err)
	}
	return fmt.Errorf("%w: %w", ErrUnknownCA, err)
}

// chainWindow returns the validity window of the CA certificates in the
// chain that stays valid longest. The leaf (element 0) is checked on its
// own; a chain of the leaf alone adds no constraint.
func chainWindow(chains [][]*x509.Certificate) (notBefore, notAfter time.Time) {
	for i, chain := range chains {
		nb, na := time.Time{}, endOfTime
		for _, c := range chain[1:] {
			if c.NotBefore.After(nb) {
				nb = c.NotBefore
			}
			if c.NotAfter.Before(na) {
				na = c.NotAfter
			}
		}
		if i == 0 || na.After(notAfter) {
			notBefore, notAfter = nb, na
		}
	}
	return notBefore, notAfter
}

// endOfTime is later than any certificate's NotAfter.
var endOfTime = time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC)
