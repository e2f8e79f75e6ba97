package identity

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"errors"
	"net"
	"regexp"
	"slices"
	"testing"
	"time"
)

var serialRE = regexp.MustCompile(`^[0-9a-f]{2}(:[0-9a-f]{2})*$`)

func TestIssueHappyPath(t *testing.T) {
	t.Parallel()
	now := time.Now().Truncate(time.Second)
	ca := newTestCA(t, testTD, CAOptions{Clock: func() time.Time { return now }})
	id := AgentID(testTD, "intake")
	key := newEd25519(t)
	got, err := ca.Issue(context.Background(), IssueRequest{ID: id, CSR: newCSR(t, key, id.String()), TTL: time.Hour})
	if err != nil {
		t.Fatalf("Issue: %v", err)
	}
	c := got.Cert
	if len(c.URIs) != 1 || c.URIs[0].String() != id.String() {
		t.Errorf("URI SANs = %v, want exactly %s", c.URIs, id)
	}
	if !c.NotBefore.Equal(now.Add(-time.Minute)) || !c.NotAfter.Equal(now.Add(time.Hour)) {
		t.Errorf("validity = [%v, %v], want [now-1m, now+1h]", c.NotBefore, c.NotAfter)
	}
	if got.Serial != SerialString(c.SerialNumber) || !serialRE.MatchString(got.Serial) {
		t.Errorf("Serial = %q, want SerialString form of %v", got.Serial, c.SerialNumber)
	}
	if c.SerialNumber.Sign() <= 0 || c.SerialNumber.BitLen() > 128 {
		t.Errorf("serial %v is not a positive 128-bit number", c.SerialNumber)
	}
	if c.IsCA || c.KeyUsage != x509.KeyUsageDigitalSignature {
		t.Errorf("IsCA=%v KeyUsage=%v", c.IsCA, c.KeyUsage)
	}
	if len(c.ExtKeyUsage) != 2 {
		t.Errorf("ExtKeyUsage = %v, want ClientAuth and ServerAuth", c.ExtKeyUsage)
	}
	if err := c.CheckSignatureFrom(ca.Certificate()); err != nil {
		t.Errorf("not signed by CA: %v", err)
	}
	if len(got.Chain) != 1 || !got.Chain[0].Equal(ca.Certificate()) {
		t.Errorf("Chain = %v, want the CA root", got.Chain)
	}
	if len(c.DNSNames) != 0 || len(c.IPAddresses) != 0 {
		t.Errorf("unexpected SANs %v %v", c.DNSNames, c.IPAddresses)
	}
}

func TestIssueSerialsDiffer(t *testing.T) {
	t.Parallel()
	ca := newTestCA(t, testTD, CAOptions{})
	a := newTestCred(t, ca, testTD, "a", time.Hour)
	b := newTestCred(t, ca, testTD, "a", time.Hour)
	if a.Serial == b.Serial {
		t.Fatalf("two certificates share serial %s", a.Serial)
	}
}

func TestIssueRejects(t *testing.T) {
	t.Parallel()
	ca := newTestCA(t, testTD, CAOptions{MaxTTL: 24 * time.Hour})
	id := AgentID(testTD, "intake")
	key := newEd25519(t)
	good := newCSR(t, key, id.String())
	badSig := slices.Clone(good)
	badSig[len(badSig)-1] ^= 0xff
	ecKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	other := AgentID(testTD, "other")
	foreign := AgentID("other.org", "intake")

	tests := []struct {
		name string
		req  IssueRequest
		want error
	}{
		{"CSR for another ID", IssueRequest{ID: id, CSR: newCSR(t, key, other.String()), TTL: time.Hour}, ErrCSRIdentity},
		{"CSR with extra URI", IssueRequest{ID: id, CSR: newCSR(t, key, id.String(), "https://example.org/"), TTL: time.Hour}, ErrCSRIdentity},
		{"CSR without URI", IssueRequest{ID: id, CSR: newCSR(t, key), TTL: time.Hour}, ErrCSRIdentity},
		{"other trust domain", IssueRequest{ID: foreign, CSR: newCSR(t, key, foreign.String()), TTL: time.Hour}, ErrTrustDomainMismatch},
		{"invalid ID", IssueRequest{ID: AgentID(testTD, "Bad"), CSR: good, TTL: time.Hour}, ErrInvalidID},
		{"bad CSR signature", IssueRequest{ID: id, CSR: badSig, TTL: time.Hour}, ErrCSRSignature},
		{"garbage CSR", IssueRequest{ID: id, CSR: []byte("garbage"), TTL: time.Hour}, ErrCSRMalformed},
		{"empty CSR", IssueRequest{ID: id, TTL: time.Hour}, ErrCSRMalformed},
		{"ECDSA key", IssueRequest{ID: id, CSR: newCSR(t, ecKey, id.String()), TTL: time.Hour}, ErrCSRKeyType},
		{"TTL zero", IssueRequest{ID: id, CSR: good, TTL: 0}, ErrTTL},
		{"TTL negative", IssueRequest{ID: id, CSR: good, TTL: -time.Hour}, ErrTTL},
		{"TTL above max", IssueRequest{ID: id, CSR: good, TTL: 24*time.Hour + time.Second}, ErrTTL},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := ca.Issue(context.Background(), tt.req)
			if !errors.Is(err, tt.want) {
				t.Fatalf("Issue = %v, %v; want %v", got, err, tt.want)
			}
			if got != nil {
				t.Fatal("Issue returned a certificate with an error")
			}
		})
	}
	// The checks above must not be masking a broken happy path.
	if _, err := ca.Issue(context.Background(), IssueRequest{ID: id, CSR: good, TTL: 24 * time.Hour}); err != nil {
		t.Fatalf("Issue at MaxTTL: %v", err)
	}
}

func TestIssueBeyondCAExpiry(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if _, err := LoadOrCreateCA(dir, testTD, CAOptions{}); err != nil {
		t.Fatal(err)
	}
	late := time.Now().AddDate(10, 0, -1)
	ca, err := LoadOrCreateCA(dir, testTD, CAOptions{Clock: func() time.Time { return late }})
	if err != nil {
		t.Fatal(err)
	}
	id := AgentID(testTD, "a")
	_, err = ca.Issue(context.Background(), IssueRequest{ID: id, CSR: newCSR(t, newEd25519(t), id.String()), TTL: 48 * time.Hour})
	if !errors.Is(err, ErrTTL) {
		t.Fatalf("Issue past CA expiry = %v, want ErrTTL", err)
	}
}

func TestIssueCancelled(t *testing.T) {
	t.Parallel()
	ca := newTestCA(t, testTD, CAOptions{})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := NewCredential(ctx, ca, AgentID(testTD, "a"), time.Hour)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}

func TestNewTLSCredentialSANs(t *testing.T) {
	t.Parallel()
	ca := newTestCA(t, testTD, CAOptions{})
	dns := []string{"node-1.maso.internal", "localhost"}
	ips := []net.IP{net.ParseIP("127.0.0.1"), net.ParseIP("::1")}
	cred, err := NewTLSCredential(context.Background(), ca, NodeID(testTD, "node-1"), time.Hour, dns, ips)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(cred.Cert.DNSNames, dns) {
		t.Errorf("DNSNames = %v, want %v", cred.Cert.DNSNames, dns)
	}
	if len(cred.Cert.IPAddresses) != 2 || !cred.Cert.IPAddresses[0].Equal(ips[0]) || !cred.Cert.IPAddresses[1].Equal(ips[1]) {
		t.Errorf("IPAddresses = %v, want %v", cred.Cert.IPAddresses, ips)
	}
	if err := cred.Cert.VerifyHostname("node-1.maso.internal"); err != nil {
		t.Errorf("VerifyHostname: %v", err)
	}
}
