// Package vault issues agent certificates from a HashiCorp Vault PKI
// secrets engine, behind the identity.Issuer interface (IA-2.1).
//
// # Overview
//
// An Issuer sends Vault only a CSR: identity.NewCredential generates the
// agent's Ed25519 key on the node, and the key never leaves it. Issue
// posts the CSR to <mount>/sign/<role> with the requested TTL and the
// agent's SPIFFE ID as URI SAN, then checks that the certificate holds the
// CSR's key, names exactly that ID and is signed by the CA Vault returned.
// Serials are in identity.SerialString form, which is Vault's own
// colon-separated form, lowercased.
//
// Lifetimes (IA-2.2, IA-3.1) come from the caller: 1h for write agents,
// 24h for read-only ones, 15m at Tier 3. The PKI role's max_ttl caps them:
// Vault 1.21 issues a longer request for max_ttl rather than refusing it,
// and Issue accepts the shorter certificate and logs a warning. Per-class
// roles (Config.Roles, Issuer.ForClass) let the Vault operator set a
// different cap per agent class.
//
// The Issuer also implements identity.Revoker (Revoke posts to
// <mount>/revoke) and identity.BundleSource (TrustAnchors reads the CA
// chain from <mount>/cert/ca_chain): the trust bundle of the bus comes
// from Vault. IsRevoked and Serials read Vault's own records.
//
// Authentication is a token (Config.Token or VAULT_TOKEN) or an AppRole
// login; with AppRole the Issuer logs in again before the token expires,
// and once more if Vault reports it invalid. The address, CA file and
// retry settings follow Vault's VAULT_* conventions (VAULT_ADDR,
// VAULT_CACERT, VAULT_MAX_RETRIES, ...). Tokens and secret IDs never
// appear in logs or errors.
//
// Errors wrap a sentinel. ErrUnavailable means Vault was unreachable,
// timed out (Config.Timeout per request) or answered 5xx/429: retry with
// backoff. The Issuer does not retry by itself unless VAULT_MAX_RETRIES
// asks it to, so an outage is reported at once. ErrAuth, ErrPermissionDenied, ErrNotFound and ErrRejected are
// Vault's refusals; request checks fail with the identity package's own
// errors (identity.ErrCSRIdentity, identity.ErrTTL, ...).
//
// An Issuer does not cache: after a Vault outage the same Issuer works as
// soon as Vault answers again, provided its token (or AppRole
// credentials) is still known to Vault.
//
// # Usage
//
// In production Vault listens on TLS and the node logs in with an AppRole
// whose policy allows only what the Issuer needs:
//
//	path "pki/sign/*"  { capabilities = ["create", "update"] }
//	path "pki/revoke"  { capabilities = ["create", "update"] }
//	path "pki/cert/*"  { capabilities = ["read"] }
//	path "pki/certs"   { capabilities = ["list"] }
//
// and a role per agent class that accepts our CSRs (allowed_uri_sans
// "spiffe://<trust-domain>/*", use_csr_sans, require_cn false, key_type
// any, max_ttl the class's cap):
//
//	iss, err := vault.New(ctx, vault.Config{
//		Address:     "https://vault.internal:8200",
//		CACert:      "/etc/maso/vault-ca.pem",
//		AppRole:     &vault.AppRole{RoleID: roleID, SecretID: secretID},
//		Mount:       "pki",
//		Role:        "agent-read",
//		Roles:       map[string]string{"write": "agent-write", "tier3": "agent-tier3"},
//		TrustDomain: "claims.maso.local",
//	})
//	if err != nil { ... }
//	cred, err := identity.NewCredential(ctx, iss, identity.AgentID("claims.maso.local", "intake"), 24*time.Hour)
//	w, err := iss.ForClass("write")
//	cred, err = identity.NewCredential(ctx, w, identity.AgentID("claims.maso.local", "payer"), time.Hour)
//	anchors, err := iss.TrustAnchors(ctx)
//	bundle := identity.NewMemoryBundle(anchors...)
//
// Tests run a real Vault dev server from internal/vaulttest (make vault
// builds it).
package vault
