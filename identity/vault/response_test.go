package vault_test

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"errors"
	"math/big"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/maso-runtime/maso/identity"
	"github.com/maso-runtime/maso/identity/vault"
)

const fakeToken = "hvs.fake-token-0123456789"

// fakeCA is a throwaway CA for the fake Vault below.
type fakeCA struct {
	cert *x509.Certificate
	key  ed25519.PrivateKey
}

func newFakeCA(t *testing.T) *fakeCA {
	t.Helper()
	pub, key, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "fake"},
		NotBefore: time.Now().Add(-time.Minute), NotAfter: time.Now().Add(time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, pub, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	return &fakeCA{cert: cert, key: key}
}

// sign certifies pub for uri.
func (ca *fakeCA) sign(t *testing.T, pub any, uri string) *x509.Certificate {
	t.Helper()
	u, _ := url.Parse(uri)
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(0x0a0b0c), URIs: []*url.URL{u},
		NotBefore: time.Now().Add(-time.Minute), NotAfter: time.Now().Add(time.Hour),
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca.cert, pub, ca.key)
	if err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	return cert
}

func pemCert(c *x509.Certificate) string {
	return string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Raw}))
}

// fakeVault is a loopback stand-in for Vault whose sign endpoint answers
// with whatever answer makes of the CSR, to check what Issue does with a
// wrong answer. Real-Vault behaviour is covered by the other tests.
func fakeVault(t *testing.T, ca *fakeCA, answer func(csr *x509.CertificateRequest) map[string]any) *vault.Issuer {
	t.Helper()
	reply := func(w http.ResponseWriter, data map[string]any) {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{"data": data})
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /v1/pki/cert/ca", func(w http.ResponseWriter, r *http.Request) {
		reply(w, map[string]any{"certificate": pemCert(ca.cert)})
	})
	mux.HandleFunc("POST /v1/sys/capabilities-self", func(w http.ResponseWriter, r *http.Request) {
		reply(w, map[string]any{"capabilities": []string{"update"}})
	})
	mux.HandleFunc("PUT /v1/pki/sign/agent", func(w http.ResponseWriter, r *http.Request) {
		var body struct{ CSR string }
		_ = json.NewDecoder(r.Body).Decode(&body)
		block, _ := pem.Decode([]byte(body.CSR))
		if block == nil {
			http.Error(w, `{"errors":["no csr"]}`, http.StatusBadRequest)
			return
		}
		csr, err := x509.ParseCertificateRequest(block.Bytes)
		if err != nil {
			http.Error(w, `{"errors":["bad csr"]}`, http.StatusBadRequest)
			return
		}
		reply(w, answer(csr))
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	iss, err := vault.New(context.Background(), vault.Config{Address: srv.URL, Token: fakeToken, Role: "agent"})
	if err != nil {
		t.Fatalf("New against the fake: %v", err)
	}
	return iss
}

func signAnswer(leaf, issuing *x509.Certificate) map[string]any {
	return map[string]any{
		"certificate":   pemCert(leaf),
		"issuing_ca":    pemCert(issuing),
		"ca_chain":      []string{pemCert(issuing)},
		"serial_number": identity.SerialString(leaf.SerialNumber),
	}
}

func TestIssueChecksAnswer(t *testing.T) {
	t.Parallel()
	ca, other := newFakeCA(t), newFakeCA(t)
	intake := "spiffe://" + td + "/agent/intake"
	otherKey := ed25519Key(t).Public()

	tests := []struct {
		name   string
		answer func(csr *x509.CertificateRequest) map[string]any
		want   error // nil: accepted
	}{
		{"correct", func(csr *x509.CertificateRequest) map[string]any {
			return signAnswer(ca.sign(t, csr.PublicKey, intake), ca.cert)
		}, nil},
		{"another key", func(*x509.CertificateRequest) map[string]any {
			return signAnswer(ca.sign(t, otherKey, intake), ca.cert)
		}, identity.ErrIssuerResponse},
		{"another ID", func(csr *x509.CertificateRequest) map[string]any {
			return signAnswer(ca.sign(t, csr.PublicKey, "spiffe://"+td+"/agent/payer"), ca.cert)
		}, identity.ErrIssuerResponse},
		{"not signed by issuing_ca", func(csr *x509.CertificateRequest) map[string]any {
			return signAnswer(other.sign(t, csr.PublicKey, intake), ca.cert)
		}, identity.ErrIssuerResponse},
		{"serial mismatch", func(csr *x509.CertificateRequest) map[string]any {
			a := signAnswer(ca.sign(t, csr.PublicKey, intake), ca.cert)
			a["serial_number"] = "01:02"
			return a
		}, identity.ErrIssuerResponse},
		{"no certificate", func(*x509.CertificateRequest) map[string]any {
			return map[string]any{"issuing_ca": pemCert(ca.cert)}
		}, vault.ErrResponse},
		{"no issuing CA", func(csr *x509.CertificateRequest) map[string]any {
			a := signAnswer(ca.sign(t, csr.PublicKey, intake), ca.cert)
			delete(a, "issuing_ca")
			delete(a, "ca_chain")
			return a
		}, vault.ErrResponse},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			iss := fakeVault(t, ca, tt.answer)
			cred, err := identity.NewCredential(context.Background(), iss, identity.AgentID(td, "intake"), time.Hour)
			switch {
			case tt.want == nil && err != nil:
				t.Errorf("error = %v, want success", err)
			case tt.want == nil && cred.Serial != "0a:0b:0c":
				t.Errorf("Serial = %q, want 0a:0b:0c", cred.Serial)
			case tt.want != nil && !errors.Is(err, tt.want):
				t.Errorf("error = %v, want %v", err, tt.want)
			case tt.want != nil && strings.Contains(err.Error(), fakeToken):
				t.Errorf("error carries the token: %v", err)
			}
		})
	}
}
