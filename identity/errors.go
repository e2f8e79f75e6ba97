package identity

import "errors"

// Errors returned by the identity functions. Each is a sentinel that
// callers match with errors.Is; the returned error wraps it with the
// details of the failure.
var (
	// ErrInvalidID reports a SPIFFE ID, trust domain or name that does not
	// follow the package's ID rules.
	ErrInvalidID = errors.New("identity: invalid SPIFFE ID")
	// ErrInvalidName reports a workload name that does not follow the name
	// rule. Errors for a bad name inside an ID wrap both this and
	// ErrInvalidID.
	ErrInvalidName = errors.New("identity: invalid name")
	// ErrBadSerial reports a certificate serial that is not in
	// SerialString form.
	ErrBadSerial = errors.New("identity: malformed certificate serial")
)

// Errors returned by LoadOrCreateCA.
var (
	// ErrCAIncomplete reports a CA directory holding only one of ca.key and
	// ca.crt.
	ErrCAIncomplete = errors.New("identity: CA directory incomplete")
	// ErrCAKeyPermissions reports a CA key file that group or other can
	// access.
	ErrCAKeyPermissions = errors.New("identity: CA key file permissions too open")
	// ErrCAInvalid reports CA files that cannot be read as an Ed25519 CA.
	ErrCAInvalid = errors.New("identity: invalid CA files")
	// ErrTrustDomainMismatch reports an identity or CA that belongs to a
	// different trust domain than the one expected.
	ErrTrustDomainMismatch = errors.New("identity: trust domain mismatch")
)

// Errors returned by BuiltinCA.Issue (IA-2.1). Every rejected request
// matches exactly one of these (or ErrInvalidID, ErrTrustDomainMismatch).
var (
	// ErrCSRMalformed reports a CSR that does not parse as DER PKCS#10.
	ErrCSRMalformed = errors.New("identity: malformed CSR")
	// ErrCSRSignature reports a CSR whose self-signature does not verify.
	ErrCSRSignature = errors.New("identity: CSR signature invalid")
	// ErrCSRKeyType reports a CSR whose public key is not Ed25519.
	ErrCSRKeyType = errors.New("identity: CSR key is not Ed25519")
	// ErrCSRIdentity reports a CSR whose URI SANs are not exactly the
	// requested ID.
	ErrCSRIdentity = errors.New("identity: CSR identity does not match request")
	// ErrTTL reports a requested lifetime outside (0, MaxTTL] or beyond the
	// CA's own expiry.
	ErrTTL = errors.New("identity: invalid certificate TTL")
	// ErrIssuerResponse reports an Issuer answer that does not match the
	// key or identity that was asked for.
	ErrIssuerResponse = errors.New("identity: issuer returned a mismatched certificate")
)

// Errors returned by Verifier.Verify. Callers map them to control IDs and
// audit reasons with errors.Is; all of them are IA-2.3 rejections.
var (
	// ErrUnknownCA reports a certificate that does not chain to the trust
	// bundle.
	ErrUnknownCA = errors.New("identity: certificate not signed by a trusted CA")
	// ErrCertExpired reports a certificate (or its issuing CA) past its
	// NotAfter (IA-2.2).
	ErrCertExpired = errors.New("identity: certificate expired")
	// ErrCertNotYetValid reports a certificate (or its issuing CA) before
	// its NotBefore.
	ErrCertNotYetValid = errors.New("identity: certificate not yet valid")
	// ErrRevoked reports a certificate whose serial is in the revocation
	// set (IA-T2.4, IA-3.4).
	ErrRevoked = errors.New("identity: certificate revoked")
	// ErrBadIdentity reports a certificate without exactly one valid SPIFFE
	// ID in the verifier's trust domain, or a CA certificate presented as a
	// leaf.
	ErrBadIdentity = errors.New("identity: certificate identity not acceptable")
	// ErrBadKey reports a certificate whose public key is not Ed25519.
	ErrBadKey = errors.New("identity: certificate key is not Ed25519")
	// ErrMalformedCert reports bytes that do not parse as a DER
	// certificate.
	ErrMalformedCert = errors.New("identity: malformed certificate")
	// ErrVerifierConfig reports a Verifier missing its Bundle,
	// Revocations or TrustDomain. The verifier fails closed.
	ErrVerifierConfig = errors.New("identity: verifier not configured")
)
