package identity

import (
	"context"
	"crypto/ed25519"
	"crypto/x509"
	"fmt"
	"time"
)

const (
	// DefaultMaxTTL is the longest certificate lifetime a BuiltinCA issues
	// unless CAOptions.MaxTTL says otherwise.
	DefaultMaxTTL = 30 * 24 * time.Hour
	// caValidityYears is the lifetime of a newly created root.
	caValidityYears = 10
	// backdate is subtracted from NotBefore to absorb small clock skew.
	backdate = time.Minute
)

// CAOptions configures a BuiltinCA. The zero value is usable.
type CAOptions struct {
	// MaxTTL caps IssueRequest.TTL. Zero means DefaultMaxTTL.
	MaxTTL time.Duration
	// Clock returns the current time. Nil means time.Now. Tests use it to
	// issue back-dated or future-dated certificates.
	Clock func() time.Time
}

func (o CAOptions) withDefaults() (CAOptions, error) {
	if o.MaxTTL < 0 {
		return o, fmt.Errorf("%w: MaxTTL %v is negative", ErrTTL, o.MaxTTL)
	}
	if o.MaxTTL == 0 {
		o.MaxTTL = DefaultMaxTTL
	}
	if o.Clock == nil {
		o.Clock = time.Now
	}
	return o, nil
}

// BuiltinCA is the embedded default Issuer: an Ed25519 self-signed root
// whose key lives in a local directory. It also implements Revoker and
// BundleSource. It is safe for concurrent use.
type BuiltinCA struct {
	trustDomain string
	key         ed25519.PrivateKey
	cert        *x509.Certificate
	opts        CAOptions
	revoked     *MemoryRevocations
}

var (
	_ Issuer       = (*BuiltinCA)(nil)
	_ Revoker      = (*BuiltinCA)(nil)
	_ BundleSource = (*BuiltinCA)(nil)
)

// LoadOrCreateCA returns the CA kept in dir, creating it on first use.
//
// dir holds ca.key (PKCS#8 PEM, mode 0600) and ca.crt (PEM); dir itself is
// created with mode 0700 if missing. A later call with the same dir loads
// the same CA, so the CA survives restarts. LoadOrCreateCA refuses a key
// file that group or other can access (ErrCAKeyPermissions), a directory
// holding only one of the two files (ErrCAIncomplete), files that do not
// form an Ed25519 CA (ErrCAInvalid), and a CA of another trust domain
// (ErrTrustDomainMismatch).
func LoadOrCreateCA(dir, trustDomain string, opts CAOptions) (*BuiltinCA, error) {
	if err := validTrustDomain(trustDomain); err != nil {
		return nil, err
	}
	opts, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	key, cert, err := loadOrCreateFiles(dir, trustDomain, opts.Clock())
	if err != nil {
		return nil, err
	}
	return &BuiltinCA{
		trustDomain: trustDomain,
		key:         key,
		cert:        cert,
		opts:        opts,
		revoked:     NewMemoryRevocations(),
	}, nil
}

// Certificate returns the CA's root certificate.
func (ca *BuiltinCA) Certificate() *x509.Certificate { return ca.cert }

// TrustDomain returns the trust domain the CA issues for.
func (ca *BuiltinCA) TrustDomain() string { return ca.trustDomain }

// TrustAnchors returns the CA's root certificate.
func (ca *BuiltinCA) TrustAnchors(ctx context.Context) ([]*x509.Certificate, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return []*x509.Certificate{ca.cert}, nil
}

// Revoke records serial (SerialString form) as revoked in the CA's own
// in-memory set. Distributing revocations to verifiers is the caller's
// job; see RevocationSet.
func (ca *BuiltinCA) Revoke(ctx context.Context, serial string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if _, err := normalizeSerial(serial); err != nil {
		return err
	}
	ca.revoked.Revoke(serial)
	return nil
}

// RevokedSerials returns the serials revoked through Revoke, sorted.
func (ca *BuiltinCA) RevokedSerials() []string {
	return ca.revoked.Serials()
}
