package vault

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/hashicorp/vault/api"
)

// Errors returned by the Issuer. Each is a sentinel that callers match with
// errors.Is; the returned error wraps it with what was being done. No error
// carries a token or a secret ID.
var (
	// ErrUnavailable reports that Vault could not be reached, did not answer
	// within Config.Timeout, or answered with a server error (5xx, including
	// a sealed or standby Vault) or 429. Callers retry with backoff.
	ErrUnavailable = errors.New("vault: unavailable")
	// ErrConfig reports an invalid Config, VAULT_* environment or TLS
	// setup.
	ErrConfig = errors.New("vault: invalid configuration")
	// ErrAuth reports a failed login (wrong AppRole role ID or secret ID),
	// a missing token, or a token Vault reports invalid (unknown, expired
	// or revoked).
	ErrAuth = errors.New("vault: authentication failed")
	// ErrPermissionDenied reports a valid token whose policies do not
	// allow the call (HTTP 403).
	ErrPermissionDenied = errors.New("vault: permission denied")
	// ErrNotFound reports a missing mount, CA or certificate serial.
	ErrNotFound = errors.New("vault: not found")
	// ErrRejected reports a request Vault refused as invalid (HTTP 4xx
	// other than 401, 403, 404 and 429), for example a URI SAN the role
	// does not allow or a TTL beyond the CA's own expiry.
	ErrRejected = errors.New("vault: request rejected")
	// ErrResponse reports an answer from Vault that lacks a field or does
	// not parse. A signed certificate for the wrong key or identity is
	// reported as identity.ErrIssuerResponse instead.
	ErrResponse = errors.New("vault: malformed response")
)

// callError is a failed Vault call. Its message names the operation, the
// path and Vault's own error strings; Vault never echoes request bodies
// and the token travels in a header, so no secret reaches the message.
type callError struct {
	kind   error // one of the sentinels above
	op     string
	path   string
	status int // HTTP status, 0 when no answer arrived
	detail string
	cause  error
}

func (e *callError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%v: %s %s", e.kind, e.op, e.path)
	if e.status != 0 {
		fmt.Fprintf(&b, ": HTTP %d", e.status)
	}
	if e.detail != "" {
		b.WriteString(": " + e.detail)
	}
	return b.String()
}

// Unwrap gives the sentinel and the underlying error (an
// *api.ResponseError, a network error or a context error).
func (e *callError) Unwrap() []error { return []error{e.kind, e.cause} }

// classify maps err, from a call of op on path made under parent, to a
// *callError. A cancelled or expired parent context is passed through
// (wrapped) rather than reported as an outage.
func classify(parent context.Context, op, path string, err error) error {
	if perr := parent.Err(); perr != nil {
		return fmt.Errorf("vault: %s %s: %w", op, path, perr)
	}
	ce := &callError{op: op, path: path, cause: err}
	var re *api.ResponseError
	switch {
	case errors.As(err, &re):
		ce.status = re.StatusCode
		ce.kind = statusKind(re.StatusCode)
		if isTokenRejected(err) {
			ce.kind = ErrAuth
		}
		ce.detail = vaultMessages(re)
	case isTLSError(err):
		ce.kind, ce.detail = ErrConfig, "TLS: "+err.Error()
	case errors.Is(err, context.DeadlineExceeded):
		ce.kind, ce.detail = ErrUnavailable, "no answer within the timeout"
	default:
		ce.kind, ce.detail = ErrUnavailable, err.Error()
	}
	return ce
}

// statusKind maps an HTTP status from Vault to a sentinel.
func statusKind(status int) error {
	switch {
	case status == http.StatusUnauthorized:
		return ErrAuth
	case status == http.StatusForbidden:
		return ErrPermissionDenied
	case status == http.StatusNotFound:
		return ErrNotFound
	case status == http.StatusTooManyRequests, status >= 500:
		return ErrUnavailable
	default:
		return ErrRejected
	}
}

// vaultMessages joins Vault's error strings onto one line.
func vaultMessages(re *api.ResponseError) string {
	msgs := make([]string, 0, len(re.Errors))
	for _, m := range re.Errors {
		m = strings.Join(strings.Fields(m), " ")
		if m != "" {
			msgs = append(msgs, m)
		}
	}
	if len(msgs) == 0 {
		return http.StatusText(re.StatusCode)
	}
	return strings.Join(msgs, "; ")
}

// isTokenRejected reports whether err says the token itself is no longer
// valid (expired or revoked), as opposed to a policy refusal.
func isTokenRejected(err error) bool {
	var re *api.ResponseError
	if !errors.As(err, &re) || re.StatusCode != http.StatusForbidden {
		return false
	}
	for _, m := range re.Errors {
		if strings.Contains(m, "invalid token") {
			return true
		}
	}
	return false
}

func isTLSError(err error) bool {
	var (
		verr *tls.CertificateVerificationError
		uerr x509.UnknownAuthorityError
		herr x509.HostnameError
		ierr x509.CertificateInvalidError
	)
	return errors.As(err, &verr) || errors.As(err, &uerr) || errors.As(err, &herr) || errors.As(err, &ierr)
}
