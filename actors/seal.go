package actors

import (
	"crypto/ed25519"
	"errors"
	"strconv"

	"github.com/maso-runtime/maso/actors/wire"
	"github.com/maso-runtime/maso/identity"
)

// envelopeType is the payload type bound into every signature, in the manner of
// DSSE's pre-authentication encoding, so a signature over a bus envelope can
// never be replayed as a signature over anything else.
const envelopeType = "application/vnd.maso.envelope.v1"

// ErrBadSignature reports an envelope whose signature does not verify.
var ErrBadSignature = errors.New("actors: envelope signature does not verify")

// pae returns the pre-authentication encoding of header and payload:
//
//	"MASOv1" SP len(type) SP type SP len(header) SP header SP len(payload) SP payload
//
// with lengths in ASCII decimal. Every part is length-prefixed, so no two
// different (header, payload) pairs share an encoding.
func pae(dst, header, payload []byte) []byte {
	dst = append(dst, "MASOv1 "...)
	dst = strconv.AppendInt(dst, int64(len(envelopeType)), 10)
	dst = append(dst, ' ')
	dst = append(dst, envelopeType...)
	dst = append(dst, ' ')
	dst = strconv.AppendInt(dst, int64(len(header)), 10)
	dst = append(dst, ' ')
	dst = append(dst, header...)
	dst = append(dst, ' ')
	dst = strconv.AppendInt(dst, int64(len(payload)), 10)
	dst = append(dst, ' ')
	return append(dst, payload...)
}

func paeSize(header, payload []byte) int {
	return len(header) + len(payload) + len(envelopeType) + 64
}

// Seal encodes h, binds it to the signer's certificate and signs header and
// payload with cred's key. The returned envelope is what travels; nothing in it
// is serialised again.
func Seal(cred *identity.Credential, h *Header, payload []byte) *wire.Signed {
	h.SignerFP = cred.Fingerprint
	header := h.Encode()
	msg := pae(make([]byte, 0, paeSize(header, payload)), header, payload)
	return &wire.Signed{
		Header:     header,
		Payload:    payload,
		Signature:  ed25519.Sign(cred.Key, msg),
		SignerCert: cred.CertDER,
	}
}

// verifySignature checks env's signature with pub over the exact bytes received.
func verifySignature(pub ed25519.PublicKey, env *wire.Signed) error {
	if len(env.Signature) != ed25519.SignatureSize {
		return ErrBadSignature
	}
	msg := pae(make([]byte, 0, paeSize(env.Header, env.Payload)), env.Header, env.Payload)
	if !ed25519.Verify(pub, msg, env.Signature) {
		return ErrBadSignature
	}
	return nil
}
