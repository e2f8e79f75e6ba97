package identity

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"math/big"
	"net/url"
	"os"
	"path/filepath"
	"time"
)

// Files kept in a BuiltinCA directory.
const (
	CAKeyFile  = "ca.key"
	CACertFile = "ca.crt"
)

const (
	pemKeyType  = "PRIVATE KEY"
	pemCertType = "CERTIFICATE"
)

// loadOrCreateFiles loads the CA in dir or, when dir holds neither file,
// creates one for trustDomain.
func loadOrCreateFiles(dir, trustDomain string, now time.Time) (ed25519.PrivateKey, *x509.Certificate, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, nil, fmt.Errorf("identity: create CA directory: %w", err)
	}
	keyPath, certPath := filepath.Join(dir, CAKeyFile), filepath.Join(dir, CACertFile)
	haveKey, err := fileExists(keyPath)
	if err != nil {
		return nil, nil, err
	}
	haveCert, err := fileExists(certPath)
	if err != nil {
		return nil, nil, err
	}
	switch {
	case haveKey && haveCert:
		return loadCA(keyPath, certPath, trustDomain, now)
	case !haveKey && !haveCert:
		return createCA(dir, trustDomain, now)
	case haveKey:
		return nil, nil, fmt.Errorf("%w: %s exists but %s is missing; restore it, or remove %s to create a new CA",
			ErrCAIncomplete, keyPath, certPath, keyPath)
	default:
		return nil, nil, fmt.Errorf("%w: %s exists but %s is missing; restore it, or remove %s to create a new CA",
			ErrCAIncomplete, certPath, keyPath, certPath)
	}
}

func fileExists(path string) (bool, error) {
	_, err := os.Stat(path)
	switch {
	case err == nil:
		return true, nil
	case errors.Is(err, fs.ErrNotExist):
		return false, nil
	default:
		return false, fmt.Errorf("identity: stat %s: %w", path, err)
	}
}

// loadCA reads and checks an existing CA.
func loadCA(keyPath, certPath, trustDomain string, now time.Time) (ed25519.PrivateKey, *x509.Certificate, error) {
	key, err := readCAKey(keyPath)
	if err != nil {
		return nil, nil, err
	}
	cert, err := readCACert(certPath)
	if err != nil {
		return nil, nil, err
	}
	if err := checkCA(key, cert, now); err != nil {
		return nil, nil, fmt.Errorf("%w: %s: %w", ErrCAInvalid, certPath, err)
	}
	td, err := caTrustDomain(cert)
	if err != nil {
		return nil, nil, fmt.Errorf("%w: %s: %w", ErrCAInvalid, certPath, err)
	}
	if td != trustDomain {
		return nil, nil, fmt.Errorf("%w: CA in %s is for trust domain %q, not %q",
			ErrTrustDomainMismatch, filepath.Dir(certPath), td, trustDomain)
	}
	return key, cert, nil
}

func readCAKey(path string) (ed25519.PrivateKey, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("identity: stat %s: %w", path, err)
	}
	if !info.Mode().IsRegular() {
		return nil, fmt.Errorf("%w: %s is not a regular file", ErrCAInvalid, path)
	}
	if perm := info.Mode().Perm(); perm&0o077 != 0 {
		return nil, fmt.Errorf("%w: %s has mode %04o, so group or other can access the CA key; fix with: chmod 600 %s",
			ErrCAKeyPermissions, path, perm, path)
	}
	block, err := readPEM(path, pemKeyType)
	if err != nil {
		return nil, err
	}
	parsed, err := x509.ParsePKCS8PrivateKey(block)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %w", ErrCAInvalid, path, err)
	}
	key, ok := parsed.(ed25519.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("%w: %s: key is %T, want Ed25519", ErrCAInvalid, path, parsed)
	}
	return key, nil
}

func readCACert(path string) (*x509.Certificate, error) {
	der, err := readPEM(path, pemCertType)
	if err != nil {
		return nil, err
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %w", ErrCAInvalid, path, err)
	}
	return cert, nil
}

// readPEM returns the bytes of the first PEM block of file path, which
// must have type typ.
func readPEM(path, typ string) ([]byte, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("identity: read %s: %w", path, err)
	}
	block, _ := pem.Decode(data)
	if block == nil || block.Type != typ {
		return nil, fmt.Errorf("%w: %s: no %q PEM block", ErrCAInvalid, path, typ)
	}
	return block.Bytes, nil
}

// checkCA verifies that cert is a current self-signed CA certificate for
// key.
func checkCA(key ed25519.PrivateKey, cert *x509.Certificate, now time.Time) error {
	pub, ok := cert.PublicKey.(ed25519.PublicKey)
	if !ok || !bytes.Equal(pub, key.Public().(ed25519.PublicKey)) {
		return errors.New("certificate does not match the key in " + CAKeyFile)
	}
	if !cert.BasicConstraintsValid || !cert.IsCA {
		return errors.New("certificate is not a CA certificate")
	}
	if err := cert.CheckSignatureFrom(cert); err != nil {
		return fmt.Errorf("certificate is not self-signed: %w", err)
	}
	if now.After(cert.NotAfter) {
		return fmt.Errorf("CA certificate expired at %s; move the directory aside to create a new CA",
			cert.NotAfter.UTC().Format(time.RFC3339))
	}
	return nil
}

// caTrustDomain reads the trust domain from the root's single URI SAN,
// spiffe://<trust-domain>.
func caTrustDomain(cert *x509.Certificate) (string, error) {
	if len(cert.URIs) != 1 {
		return "", fmt.Errorf("CA certificate has %d URI SANs, want one spiffe://<trust-domain>", len(cert.URIs))
	}
	u := cert.URIs[0]
	if u.Scheme != scheme || u.User != nil || u.Port() != "" || (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" {
		return "", fmt.Errorf("CA URI SAN %q is not spiffe://<trust-domain>", u)
	}
	if err := validTrustDomain(u.Host); err != nil {
		return "", err
	}
	return u.Host, nil
}

// createCA generates a new root for trustDomain and writes it to dir.
func createCA(dir, trustDomain string, now time.Time) (ed25519.PrivateKey, *x509.Certificate, error) {
	_, key, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, nil, fmt.Errorf("identity: generate CA key: %w", err)
	}
	cert, err := selfSign(key, trustDomain, now)
	if err != nil {
		return nil, nil, err
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return nil, nil, fmt.Errorf("identity: encode CA key: %w", err)
	}
	keyPEM := pem.EncodeToMemory(&pem.Block{Type: pemKeyType, Bytes: keyDER})
	if err := writeNewFile(dir, CAKeyFile, keyPEM, 0o600); err != nil {
		return nil, nil, err
	}
	certPEM := pem.EncodeToMemory(&pem.Block{Type: pemCertType, Bytes: cert.Raw})
	if err := writeNewFile(dir, CACertFile, certPEM, 0o644); err != nil {
		return nil, nil, err
	}
	return key, cert, nil
}

func selfSign(key ed25519.PrivateKey, trustDomain string, now time.Time) (*x509.Certificate, error) {
	serial, err := randomSerial()
	if err != nil {
		return nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{CommonName: "maso " + trustDomain + " CA"},
		NotBefore:             now.Add(-backdate),
		NotAfter:              now.AddDate(caValidityYears, 0, 0),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
		BasicConstraintsValid: true,
		IsCA:                  true,
		MaxPathLenZero:        true,
		URIs:                  []*url.URL{{Scheme: scheme, Host: trustDomain}},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	if err != nil {
		return nil, fmt.Errorf("identity: self-sign CA certificate: %w", err)
	}
	return x509.ParseCertificate(der)
}

// randomSerial returns a random positive serial of at most 128 bits.
func randomSerial() (*big.Int, error) {
	var b [16]byte
	for {
		if _, err := rand.Read(b[:]); err != nil {
			return nil, fmt.Errorf("identity: random serial: %w", err)
		}
		if n := new(big.Int).SetBytes(b[:]); n.Sign() > 0 {
			return n, nil
		}
	}
}

// writeNewFile writes data to dir/name with mode perm. The content appears
// atomically, and an existing file is never overwritten.
func writeNewFile(dir, name string, data []byte, perm os.FileMode) error {
	tmp, err := os.CreateTemp(dir, "."+name+".*.tmp")
	if err != nil {
		return fmt.Errorf("identity: write %s: %w", name, err)
	}
	defer os.Remove(tmp.Name())
	if err := fillFile(tmp, data, perm); err != nil {
		return fmt.Errorf("identity: write %s: %w", name, err)
	}
	if err := os.Link(tmp.Name(), filepath.Join(dir, name)); err != nil {
		return fmt.Errorf("identity: write %s: %w", name, err)
	}
	return nil
}

func fillFile(f *os.File, data []byte, perm os.FileMode) error {
	if err := f.Chmod(perm); err != nil {
		f.Close()
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
