package vault

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/hashicorp/vault/api"

	"github.com/maso-runtime/maso/identity"
)

// shortfallSlack is how much shorter than asked a certificate may be
// before Issue logs that Vault capped its lifetime.
const shortfallSlack = time.Minute

// Issue signs req.CSR with Config.Role: POST <mount>/sign/<role> with the
// CSR, the TTL and the SAN fields of req. Only the CSR leaves the caller;
// the private key never does.
//
// Before calling Vault, Issue checks the request as identity.BuiltinCA
// does: a valid ID (in Config.TrustDomain when set), a positive TTL, and a
// well-formed, self-signed Ed25519 CSR whose only URI SAN is req.ID
// (identity.ErrInvalidID, ErrTrustDomainMismatch, ErrTTL, ErrCSR*). After,
// it checks that the certificate holds the CSR's key, names exactly
// req.ID and is signed by the returned issuing CA
// (identity.ErrIssuerResponse otherwise).
//
// The role's max_ttl caps the lifetime: Vault 1.21 does not refuse a
// longer TTL but issues for max_ttl. Issue accepts that and logs a
// warning with both lifetimes.
func (i *Issuer) Issue(ctx context.Context, req identity.IssueRequest) (*identity.Issued, error) {
	return i.issue(ctx, i.cfg.Role, req)
}

func (i *Issuer) issue(ctx context.Context, role string, req identity.IssueRequest) (*identity.Issued, error) {
	pub, err := i.checkRequest(req)
	if err != nil {
		return nil, err
	}
	path := i.signPath(role)
	start := time.Now()
	var sec *api.Secret
	err = i.call(ctx, "sign", path, func(ctx context.Context) (err error) {
		sec, err = i.client.Logical().WriteWithContext(ctx, path, signBody(req))
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("vault: issue certificate for %s: %w", req.ID, err)
	}
	out, err := parseSigned(sec)
	if err != nil {
		return nil, fmt.Errorf("vault: issue certificate for %s: %s: %w", req.ID, path, err)
	}
	if err := checkSigned(out, req.ID, pub); err != nil {
		return nil, err
	}
	if want := start.Add(req.TTL); out.Cert.NotAfter.Before(want.Add(-shortfallSlack)) {
		i.log.Warn("vault: certificate lifetime capped by Vault (role max_ttl or CA expiry)",
			"id", req.ID.String(), "serial", out.Serial, "role", role,
			"requested", req.TTL, "granted", out.Cert.NotAfter.Sub(start).Round(time.Second),
			"vault_warnings", sec.Warnings)
	}
	i.log.Debug("vault: issued", "id", req.ID.String(), "serial", out.Serial, "role", role, "not_after", out.Cert.NotAfter)
	return out, nil
}

// checkRequest validates req and returns the CSR's key.
func (i *Issuer) checkRequest(req identity.IssueRequest) (ed25519.PublicKey, error) {
	if err := req.ID.Validate(); err != nil {
		return nil, err
	}
	if td := i.cfg.TrustDomain; td != "" && req.ID.TrustDomain != td {
		return nil, fmt.Errorf("%w: %s is not in trust domain %q of this issuer",
			identity.ErrTrustDomainMismatch, req.ID, td)
	}
	if req.TTL <= 0 {
		return nil, fmt.Errorf("%w: %v is not positive", identity.ErrTTL, req.TTL)
	}
	csr, err := x509.ParseCertificateRequest(req.CSR)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", identity.ErrCSRMalformed, err)
	}
	if err := csr.CheckSignature(); err != nil {
		return nil, fmt.Errorf("%w: %w", identity.ErrCSRSignature, err)
	}
	pub, ok := csr.PublicKey.(ed25519.PublicKey)
	if !ok {
		return nil, fmt.Errorf("%w: got %T", identity.ErrCSRKeyType, csr.PublicKey)
	}
	if len(csr.URIs) != 1 || csr.URIs[0].String() != req.ID.String() {
		return nil, fmt.Errorf("%w: CSR URI SANs %v, request is for %s", identity.ErrCSRIdentity, csr.URIs, req.ID)
	}
	return pub, nil
}

// signBody is the JSON body of <mount>/sign/<role>. The TTL is rounded up
// to whole seconds.
func signBody(req identity.IssueRequest) map[string]any {
	secs := int64(math.Ceil(req.TTL.Seconds()))
	body := map[string]any{
		"csr":      string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE REQUEST", Bytes: req.CSR})),
		"ttl":      fmt.Sprintf("%ds", secs),
		"uri_sans": req.ID.String(),
		"format":   "pem",
	}
	if len(req.DNSNames) > 0 {
		body["alt_names"] = strings.Join(req.DNSNames, ",")
	}
	if len(req.IPAddresses) > 0 {
		ips := make([]string, len(req.IPAddresses))
		for k, ip := range req.IPAddresses {
			ips[k] = ip.String()
		}
		body["ip_sans"] = strings.Join(ips, ",")
	}
	return body
}

// parseSigned reads certificate, issuing_ca, ca_chain and serial_number
// from a sign answer.
func parseSigned(sec *api.Secret) (*identity.Issued, error) {
	if sec == nil || sec.Data == nil {
		return nil, fmt.Errorf("%w: empty answer", ErrResponse)
	}
	certPEM, _ := sec.Data["certificate"].(string)
	leaves, err := parseCertsPEM(certPEM)
	if err != nil || len(leaves) != 1 {
		return nil, fmt.Errorf("%w: field certificate: want one PEM certificate (%d found, err %v)", ErrResponse, len(leaves), err)
	}
	chain, err := chainFromAnswer(sec.Data)
	if err != nil {
		return nil, err
	}
	out := &identity.Issued{Cert: leaves[0], Chain: chain, Serial: identity.SerialString(leaves[0].SerialNumber)}
	if s, _ := sec.Data["serial_number"].(string); normalizeSerial(s) != out.Serial {
		return nil, fmt.Errorf("%w: serial_number %q does not match the certificate's %s", identity.ErrIssuerResponse, s, out.Serial)
	}
	return out, nil
}

// chainFromAnswer returns ca_chain, or issuing_ca when ca_chain is absent.
func chainFromAnswer(data map[string]any) ([]*x509.Certificate, error) {
	var pems []string
	if list, ok := data["ca_chain"].([]any); ok {
		for _, v := range list {
			if s, ok := v.(string); ok {
				pems = append(pems, s)
			}
		}
	}
	if len(pems) == 0 {
		if s, ok := data["issuing_ca"].(string); ok {
			pems = append(pems, s)
		}
	}
	chain, err := parseCertsPEM(strings.Join(pems, "\n"))
	if err != nil {
		return nil, fmt.Errorf("%w: ca_chain/issuing_ca: %w", ErrResponse, err)
	}
	if len(chain) == 0 {
		return nil, fmt.Errorf("%w: no ca_chain or issuing_ca", ErrResponse)
	}
	return chain, nil
}

// checkSigned makes sure the certificate certifies pub for id and was
// signed by the first certificate of the returned chain.
func checkSigned(out *identity.Issued, id identity.ID, pub ed25519.PublicKey) error {
	got, ok := out.Cert.PublicKey.(ed25519.PublicKey)
	if !ok || !bytes.Equal(got, pub) {
		return fmt.Errorf("%w: certificate for %s does not hold the CSR's key", identity.ErrIssuerResponse, id)
	}
	certID, err := identity.IDFromCert(out.Cert)
	if err != nil {
		return fmt.Errorf("%w: certificate for %s: %w", identity.ErrIssuerResponse, id, err)
	}
	if certID != id {
		return fmt.Errorf("%w: asked for %s, got %s", identity.ErrIssuerResponse, id, certID)
	}
	if err := out.Cert.CheckSignatureFrom(out.Chain[0]); err != nil {
		return fmt.Errorf("%w: certificate for %s is not signed by the issuing CA Vault returned: %w",
			identity.ErrIssuerResponse, id, err)
	}
	return nil
}

// parseCertsPEM parses every CERTIFICATE block in s, dropping duplicates.
// Other block types are ignored; an unparsable certificate is an error.
func parseCertsPEM(s string) ([]*x509.Certificate, error) {
	var out []*x509.Certificate
	rest := []byte(s)
	for {
		var block *pem.Block
		block, rest = pem.Decode(rest)
		if block == nil {
			return out, nil
		}
		if block.Type != "CERTIFICATE" {
			continue
		}
		c, err := x509.ParseCertificate(block.Bytes)
		if err != nil {
			return nil, err
		}
		if !containsCert(out, c) {
			out = append(out, c)
		}
	}
}

func containsCert(certs []*x509.Certificate, c *x509.Certificate) bool {
	for _, have := range certs {
		if have.Equal(c) {
			return true
		}
	}
	return false
}
