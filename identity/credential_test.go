package identity

import (
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net"
	"testing"
	"time"
)

func TestCredential(t *testing.T) {
	t.Parallel()
	ca := newTestCA(t, testTD, CAOptions{})
	before := time.Now()
	cred := newTestCred(t, ca, testTD, "intake", time.Hour)
	if cred.ID != AgentID(testTD, "intake") {
		t.Errorf("ID = %v", cred.ID)
	}
	if cred.Fingerprint != sha256.Sum256(cred.CertDER) {
		t.Error("Fingerprint is not the SHA-256 of CertDER")
	}
	if cred.Serial != SerialString(cred.Cert.SerialNumber) {
		t.Errorf("Serial = %q", cred.Serial)
	}
	if na := cred.NotAfter(); na.Before(before.Add(time.Hour-time.Second)) || na.After(time.Now().Add(time.Hour)) {
		t.Errorf("NotAfter = %v, want about now+1h", na)
	}
	msg := []byte("hello")
	pub := cred.Cert.PublicKey.(ed25519.PublicKey)
	if !ed25519.Verify(pub, msg, cred.Sign(msg)) {
		t.Error("signature does not verify with the certificate key")
	}
	if ed25519.Verify(pub, []byte("hellO"), cred.Sign(msg)) {
		t.Error("signature verifies for another message")
	}
	other := newTestCred(t, ca, testTD, "intake", time.Hour)
	if other.Key.Equal(cred.Key) {
		t.Error("two credentials share a key")
	}
}

func TestNewCredentialRejects(t *testing.T) {
	t.Parallel()
	ca := newTestCA(t, testTD, CAOptions{})
	ctx := context.Background()
	if _, err := NewCredential(ctx, ca, AgentID(testTD, "Bad"), time.Hour); !errors.Is(err, ErrInvalidID) {
		t.Errorf("bad ID: %v", err)
	}
	if _, err := NewCredential(ctx, ca, AgentID(testTD, "a"), 0); !errors.Is(err, ErrTTL) {
		t.Errorf("zero TTL: %v", err)
	}
	if _, err := NewCredential(ctx, ca, AgentID("other.org", "a"), time.Hour); !errors.Is(err, ErrTrustDomainMismatch) {
		t.Errorf("other trust domain: %v", err)
	}
}

// issuerFunc adapts a function to Issuer.
type issuerFunc func(ctx context.Context, req IssueRequest) (*Issued, error)

func (f issuerFunc) Issue(ctx context.Context, req IssueRequest) (*Issued, error) { return f(ctx, req) }

// TestNewCredentialChecksIssuer makes sure a credential is never built
// from an issuer answer that certifies another key or another identity.
func TestNewCredentialChecksIssuer(t *testing.T) {
	t.Parallel()
	ca := newTestCA(t, testTD, CAOptions{})
	id := AgentID(testTD, "intake")
	mint := func(t *testing.T, pub ed25519.PublicKey, certID ID) *Issued {
		c := signRaw(t, leafTemplate(time.Now(), certID.URL()), pub, ca.cert, ca.key)
		return &Issued{Cert: c, Chain: []*x509.Certificate{ca.cert}, Serial: SerialString(c.SerialNumber)}
	}
	tests := []struct {
		name   string
		answer func(t *testing.T, req IssueRequest) *Issued
	}{
		{"nil answer", func(*testing.T, IssueRequest) *Issued { return nil }},
		{"other key", func(t *testing.T, _ IssueRequest) *Issued {
			return mint(t, newEd25519(t).Public().(ed25519.PublicKey), id)
		}},
		{"other identity", func(t *testing.T, req IssueRequest) *Issued {
			csr, err := x509.ParseCertificateRequest(req.CSR)
			if err != nil {
				t.Fatal(err)
			}
			return mint(t, csr.PublicKey.(ed25519.PublicKey), AgentID(testTD, "orchestrator"))
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			iss := issuerFunc(func(_ context.Context, req IssueRequest) (*Issued, error) {
				return tt.answer(t, req), nil
			})
			cred, err := NewCredential(context.Background(), iss, id, time.Hour)
			if !errors.Is(err, ErrIssuerResponse) {
				t.Fatalf("NewCredential = %v, %v; want ErrIssuerResponse", cred, err)
			}
		})
	}
}

// TestTLSCertificateMutualTLS runs a real mutual-TLS handshake between two
// credentials from the same CA.
func TestTLSCertificateMutualTLS(t *testing.T) {
	t.Parallel()
	ca := newTestCA(t, testTD, CAOptions{})
	ctx := context.Background()
	server, err := NewTLSCredential(ctx, ca, NodeID(testTD, "node-1"), time.Hour, []string{"node-1"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	client, err := NewTLSCredential(ctx, ca, NodeID(testTD, "node-2"), time.Hour, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(server.TLSCertificate().Certificate); n != 2 {
		t.Fatalf("TLSCertificate has %d certificates, want leaf + root", n)
	}
	roots := x509.NewCertPool()
	roots.AddCert(ca.Certificate())
	srvConf := &tls.Config{
		Certificates: []tls.Certificate{server.TLSCertificate()},
		ClientAuth:   tls.RequireAndVerifyClientCert,
		ClientCAs:    roots,
		MinVersion:   tls.VersionTLS13,
		// net.Pipe is unbuffered: tickets the client never reads would
		// block the server.
		SessionTicketsDisabled: true,
	}
	cliConf := &tls.Config{
		Certificates: []tls.Certificate{client.TLSCertificate()},
		RootCAs:      roots,
		ServerName:   "node-1",
		MinVersion:   tls.VersionTLS13,
	}
	a, b := net.Pipe()
	// Close the pipe itself, not the TLS conns: a close_notify on an
	// unbuffered pipe would wait for a reader.
	defer a.Close()
	defer b.Close()
	srv, cli := tls.Server(a, srvConf), tls.Client(b, cliConf)
	errc := make(chan error, 1)
	go func() { errc <- srv.HandshakeContext(ctx) }()
	if err := cli.HandshakeContext(ctx); err != nil {
		t.Fatalf("client handshake: %v", err)
	}
	if err := <-errc; err != nil {
		t.Fatalf("server handshake: %v", err)
	}
	peers := srv.ConnectionState().PeerCertificates
	if len(peers) == 0 {
		t.Fatal("server saw no client certificate")
	}
	if got, err := IDFromCert(peers[0]); err != nil || got != client.ID {
		t.Fatalf("server saw client %v, %v; want %v", got, err, client.ID)
	}
}
