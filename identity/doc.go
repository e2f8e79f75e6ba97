// Package identity gives every agent and system principal its own
// Non-Human Identity (NHI): a SPIFFE ID, an Ed25519 key that never leaves
// its owner, and a short-lived X.509 certificate that names the ID.
//
// # Overview
//
// An ID has the form spiffe://<trust-domain>/<kind>/<name>, where kind is
// "agent", "system" (orchestrator, ingress, judge) or "node" (a runtime
// node's TLS identity). ParseID and IDFromCert are strict: anything that
// is not exactly such an ID is refused.
//
// Certificates come from an Issuer. BuiltinCA is the embedded default: a
// self-signed Ed25519 root kept in a data directory, which signs CSRs for
// IDs of its own trust domain with a bounded TTL. Other issuers (a Vault
// PKI secrets engine) implement the same interface, and optionally
// Revoker and BundleSource.
//
// On the receiving side, a Verifier checks a presented leaf certificate
// against a TrustBundle and a RevocationSet. Successful chain
// verifications are cached by certificate fingerprint until the bundle
// changes; validity times and revocation are checked on every call, so an
// expired or revoked credential stops working at once.
//
// The controls this package serves:
//
//   - IA-1.2: each principal has its own key and certificate (Credential).
//   - IA-2.1: certificate-based NHI per agent from a managed issuer (Issuer,
//     BuiltinCA).
//   - IA-2.2 and IA-3.1: short-lived credentials; the TTL is part of every
//     IssueRequest and BuiltinCA caps it.
//   - IA-2.3: mutual authentication; unknown, expired and revoked
//     identities are rejected (Verifier and its Err* results).
//   - IA-T2.4 and IA-3.4: revocation takes effect on the next message
//     (RevocationSet).
//
// # Usage
//
// Create or load the CA once per node, then issue each principal its own
// credential:
//
//	ca, err := identity.LoadOrCreateCA(filepath.Join(dataDir, "ca"), "example.org", identity.CAOptions{})
//	if err != nil { ... }
//	cred, err := identity.NewCredential(ctx, ca, identity.AgentID("example.org", "intake"), time.Hour)
//	if err != nil { ... }
//	sig := cred.Sign(msg)
//
// A receiver verifies the sender's certificate before it trusts the
// signature, and maps failures to audit reasons with errors.Is:
//
//	v := &identity.Verifier{
//		Bundle:      identity.NewMemoryBundle(ca.Certificate()),
//		Revocations: identity.NewMemoryRevocations(),
//		TrustDomain: "example.org",
//	}
//	peer, err := v.Verify(cred.CertDER, time.Now())
//	switch {
//	case errors.Is(err, identity.ErrRevoked): ...
//	case err != nil: ...
//	}
//	ok := ed25519.Verify(peer.PublicKey, msg, sig)
package identity
