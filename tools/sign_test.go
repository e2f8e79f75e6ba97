package tools

import (
	"crypto/ed25519"
	"encoding/json"
	"testing"
)

func TestSignVerify(t *testing.T) {
	t.Parallel()
	k := newKey(t)
	sm := mustSign(t, testManifest(), k)
	if sm.KeyID != KeyID(pubOf(k)) || len(sm.KeyID) != 16 {
		t.Fatalf("KeyID = %q", sm.KeyID)
	}
	if sm.Hash != hashHex(sm.Raw) {
		t.Fatal("Hash is not the hash of Raw")
	}
	if err := Verify(sm, Keys(pubOf(k))); err != nil {
		t.Fatalf("Verify: %v", err)
	}
	if !ed25519.Verify(pubOf(k), append([]byte("maso.tool-manifest.v1\n"), sm.Raw...), sm.Signature) {
		t.Fatal("signature is not over the domain prefix and the canonical bytes")
	}
}

func TestSignRefusesInvalidManifest(t *testing.T) {
	t.Parallel()
	m := testManifest()
	m.Effect = "destroy"
	_, err := Sign(m, newKey(t))
	wantErr(t, err, ErrInvalidManifest, `effect "destroy"`)
}

func TestVerifyDetectsTampering(t *testing.T) {
	t.Parallel()
	k := newKey(t)
	keys := Keys(pubOf(k))
	tamper := map[string]func(sm *SignedManifest){
		"version":     func(sm *SignedManifest) { sm.Manifest.Version = "1.2.1" },
		"effect":      func(sm *SignedManifest) { sm.Manifest.Effect = EffectRead },
		"reversible":  func(sm *SignedManifest) { sm.Manifest.Reversible = true },
		"target":      func(sm *SignedManifest) { sm.Manifest.Target = "internal" },
		"schema":      func(sm *SignedManifest) { sm.Manifest.Params = json.RawMessage(`{"type":"object"}`) },
		"permissions": func(sm *SignedManifest) { sm.Manifest.Permissions = append(sm.Manifest.Permissions, "admin") },
		"raw":         func(sm *SignedManifest) { sm.Raw = append([]byte(nil), sm.Raw[:len(sm.Raw)-1]...) },
		"hash":        func(sm *SignedManifest) { sm.Hash = hashHex([]byte("other")) },
		"signature":   func(sm *SignedManifest) { sm.Signature[0] ^= 1 },
		"unsigned":    func(sm *SignedManifest) { sm.Signature = nil },
		"unknown key": func(sm *SignedManifest) { sm.KeyID = "0000000000000000" },
	}
	for name, f := range tamper {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			sm := mustSign(t, testManifest(), k)
			f(&sm)
			wantErr(t, Verify(sm, keys), ErrBadSignature)
		})
	}
}

func TestVerifyFieldChangeWithRecomputedBytes(t *testing.T) {
	t.Parallel()
	// The attacker edits a field and recomputes Raw and Hash, as a reader
	// of a tampered file would; only the signature can catch it.
	k := newKey(t)
	sm := mustSign(t, testManifest(), k)
	sm.Manifest.Target = "internal"
	sm.Raw, _ = Canonical(sm.Manifest)
	sm.Hash = hashHex(sm.Raw)
	wantErr(t, Verify(sm, Keys(pubOf(k))), ErrBadSignature, "does not verify")
}

func TestVerifyUnknownAndWrongKey(t *testing.T) {
	t.Parallel()
	signer, other := newKey(t), newKey(t)
	sm := mustSign(t, testManifest(), signer)
	wantErr(t, Verify(sm, Keys(pubOf(other))), ErrBadSignature, "unknown key", sm.KeyID)
	// A key map that files the wrong key under the signer's id.
	wantErr(t, Verify(sm, map[string]ed25519.PublicKey{sm.KeyID: pubOf(other)}), ErrBadSignature, "does not match its id")
}
