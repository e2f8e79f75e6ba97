package tools

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
)

// SigningDomain prefixes the canonical bytes under the signature, so a
// manifest signature can never be mistaken for a signature over anything
// else made with the same key.
const SigningDomain = "maso.tool-manifest.v1\n"

// SignedManifest is a manifest with the platform's signature (SC-2.2).
type SignedManifest struct {
	Manifest Manifest
	// Raw is the canonical encoding of Manifest ([Canonical]).
	Raw []byte
	// Hash is the hex SHA-256 of Raw; the catalog pins it.
	Hash string
	// Signature is Ed25519 over SigningDomain + Raw.
	Signature []byte
	// KeyID names the signing key ([KeyID]).
	KeyID string
}

// KeyID is the first 16 hex characters of the SHA-256 of a public key.
func KeyID(pub ed25519.PublicKey) string {
	sum := sha256.Sum256(pub)
	return hex.EncodeToString(sum[:8])
}

// Keys indexes public keys by [KeyID], the form [Verify] and
// [NewCatalog] take.
func Keys(pubs ...ed25519.PublicKey) map[string]ed25519.PublicKey {
	m := make(map[string]ed25519.PublicKey, len(pubs))
	for _, p := range pubs {
		m[KeyID(p)] = p
	}
	return m
}

// Sign validates m and signs its canonical bytes. The Manifest of the
// result is a copy decoded from those bytes.
func Sign(m Manifest, key ed25519.PrivateKey) (SignedManifest, error) {
	if len(key) != ed25519.PrivateKeySize {
		return SignedManifest{}, fmt.Errorf("%w: private key has %d bytes, want %d", ErrKey, len(key), ed25519.PrivateKeySize)
	}
	if err := m.Validate(); err != nil {
		return SignedManifest{}, err
	}
	raw, err := Canonical(m)
	if err != nil {
		return SignedManifest{}, err
	}
	// The returned manifest is decoded from the signed bytes, so it shares
	// nothing with the caller's and its schemas are in canonical form.
	norm, err := decodeManifestJSON(raw)
	if err != nil {
		return SignedManifest{}, fmt.Errorf("%w: %q: %w", ErrInvalidManifest, m.Name, err)
	}
	pub, _ := key.Public().(ed25519.PublicKey)
	return SignedManifest{
		Manifest:  norm,
		Raw:       raw,
		Hash:      hashHex(raw),
		Signature: ed25519.Sign(key, signingInput(raw)),
		KeyID:     KeyID(pub),
	}, nil
}

// Verify checks that sm is signed under the key its KeyID names, that Raw
// is the canonical encoding of Manifest (so no field was changed after
// signing) and that Hash is the hash of Raw. Every failure wraps
// [ErrBadSignature].
func Verify(sm SignedManifest, keys map[string]ed25519.PublicKey) error {
	name := sm.Manifest.Name
	if len(sm.Signature) == 0 {
		return fmt.Errorf("%w: %q is unsigned", ErrBadSignature, name)
	}
	pub, ok := keys[sm.KeyID]
	if !ok {
		return fmt.Errorf("%w: %q is signed by unknown key %q", ErrBadSignature, name, sm.KeyID)
	}
	raw, err := Canonical(sm.Manifest)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrBadSignature, err)
	}
	switch {
	case !bytes.Equal(raw, sm.Raw):
		return fmt.Errorf("%w: %q: the manifest does not match its signed bytes", ErrBadSignature, name)
	case sm.Hash != hashHex(raw):
		return fmt.Errorf("%w: %q: hash %q does not match the signed bytes", ErrBadSignature, name, sm.Hash)
	case len(pub) != ed25519.PublicKeySize || KeyID(pub) != sm.KeyID:
		return fmt.Errorf("%w: %q: key %q does not match its id", ErrBadSignature, name, sm.KeyID)
	case !ed25519.Verify(pub, signingInput(raw), sm.Signature):
		return fmt.Errorf("%w: %q: signature does not verify under key %q", ErrBadSignature, name, sm.KeyID)
	}
	return nil
}

// signingInput is SigningDomain followed by the canonical bytes.
func signingInput(raw []byte) []byte {
	in := make([]byte, 0, len(SigningDomain)+len(raw))
	return append(append(in, SigningDomain...), raw...)
}

func hashHex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}
