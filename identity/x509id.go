package identity

import (
	"crypto/x509"
	"encoding/hex"
	"fmt"
	"math/big"
	"strings"
)

// IDFromCert returns the SPIFFE ID carried by c. Following the SPIFFE
// X.509-SVID rules, c must carry exactly one URI SAN and it must be a
// valid spiffe:// ID; anything else is an error wrapping ErrInvalidID.
func IDFromCert(c *x509.Certificate) (ID, error) {
	if c == nil {
		return ID{}, fmt.Errorf("%w: nil certificate", ErrInvalidID)
	}
	if len(c.URIs) != 1 {
		return ID{}, fmt.Errorf("%w: certificate has %d URI SANs, want exactly one spiffe:// ID",
			ErrInvalidID, len(c.URIs))
	}
	return ParseID(c.URIs[0].String())
}

// SerialString formats a certificate serial the way Vault does: the
// magnitude's big-endian bytes as lowercase hex pairs joined by ':', for
// example "3a:0f:c2". The same serial always gives the same string. Zero
// formats as "00", a negative serial (which only a broken CA produces)
// gets a leading '-', and nil gives "".
func SerialString(n *big.Int) string {
	if n == nil {
		return ""
	}
	b := n.Bytes()
	if len(b) == 0 {
		b = []byte{0}
	}
	var sb strings.Builder
	sb.Grow(3*len(b) + 1)
	if n.Sign() < 0 {
		sb.WriteByte('-')
	}
	for i, x := range b {
		if i > 0 {
			sb.WriteByte(':')
		}
		sb.WriteByte(hexDigits[x>>4])
		sb.WriteByte(hexDigits[x&0x0f])
	}
	return sb.String()
}

const hexDigits = "0123456789abcdef"

// normalizeSerial lowercases and checks a serial in SerialString form.
func normalizeSerial(serial string) (string, error) {
	s := strings.ToLower(strings.TrimSpace(serial))
	s = strings.TrimPrefix(s, "-")
	if s == "" {
		return "", fmt.Errorf("%w: empty", ErrBadSerial)
	}
	for pair := range strings.SplitSeq(s, ":") {
		if len(pair) != 2 {
			return "", fmt.Errorf("%w: %q: want hex byte pairs joined by ':'", ErrBadSerial, serial)
		}
		if _, err := hex.DecodeString(pair); err != nil {
			return "", fmt.Errorf("%w: %q: %q is not hex", ErrBadSerial, serial, pair)
		}
	}
	return strings.ToLower(strings.TrimSpace(serial)), nil
}
