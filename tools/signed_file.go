package tools

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// SignedSuffix ends the file name of a signed manifest:
// <name>.manifest.json.
const SignedSuffix = ".manifest.json"

// signedFile is the stored form of a [SignedManifest].
type signedFile struct {
	Manifest  json.RawMessage `json:"manifest"`
	Signature string          `json:"signature"`
	KeyID     string          `json:"key_id"`
}

// ReadSigned reads a signed manifest file,
// {"manifest":{...},"signature":"<base64>","key_id":"..."}, strictly, and
// fills Raw and Hash from the manifest's canonical bytes. It does not
// verify the signature: [Verify] and [Catalog] do. A file named
// <name>.manifest.json must hold the manifest of that name.
func ReadSigned(path string) (SignedManifest, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return SignedManifest{}, fmt.Errorf("%w: %w", ErrInvalidManifest, err)
	}
	sm, err := decodeSigned(b)
	if err != nil {
		return SignedManifest{}, fmt.Errorf("%w: %s: %w", ErrInvalidManifest, path, err)
	}
	base := filepath.Base(path)
	if strings.HasSuffix(base, SignedSuffix) && base != sm.Manifest.Name+SignedSuffix {
		return SignedManifest{}, fmt.Errorf("%w: %s holds the manifest of %q", ErrInvalidManifest, path, sm.Manifest.Name)
	}
	return sm, nil
}

func decodeSigned(b []byte) (SignedManifest, error) {
	var f signedFile
	if err := decodeStrict(b, &f); err != nil {
		return SignedManifest{}, err
	}
	if len(f.Manifest) == 0 {
		return SignedManifest{}, fmt.Errorf("manifest is missing")
	}
	m, err := decodeManifestJSON(f.Manifest)
	if err != nil {
		return SignedManifest{}, fmt.Errorf("manifest: %w", err)
	}
	sig, err := base64.StdEncoding.DecodeString(f.Signature)
	if err != nil {
		return SignedManifest{}, fmt.Errorf("signature: %w", err)
	}
	raw, err := Canonical(m)
	if err != nil {
		return SignedManifest{}, err
	}
	// Decode again from the canonical bytes so the schemas are compact.
	if m, err = decodeManifestJSON(raw); err != nil {
		return SignedManifest{}, err
	}
	return SignedManifest{Manifest: m, Raw: raw, Hash: hashHex(raw), Signature: sig, KeyID: f.KeyID}, nil
}

// WriteSigned writes sm to path (mode 0644), replacing the file
// atomically.
func WriteSigned(path string, sm SignedManifest) error {
	raw, err := Canonical(sm.Manifest)
	if err != nil {
		return err
	}
	b, err := json.MarshalIndent(signedFile{
		Manifest:  raw,
		Signature: base64.StdEncoding.EncodeToString(sm.Signature),
		KeyID:     sm.KeyID,
	}, "", "  ")
	if err != nil {
		return fmt.Errorf("%w: %w", ErrInvalidManifest, err)
	}
	return writeAtomic(path, append(b, '\n'))
}

// ReadSignedDir reads every <name>.manifest.json in dir, sorted by name.
func ReadSignedDir(dir string) ([]SignedManifest, error) {
	paths, err := filepath.Glob(filepath.Join(dir, "*"+SignedSuffix))
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalidManifest, err)
	}
	sort.Strings(paths)
	out := make([]SignedManifest, 0, len(paths))
	for _, p := range paths {
		sm, err := ReadSigned(p)
		if err != nil {
			return nil, err
		}
		out = append(out, sm)
	}
	return out, nil
}

// writeAtomic writes data to a temporary file next to path and renames it
// over path.
func writeAtomic(path string, data []byte) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return fmt.Errorf("tools: write %s: %w", path, err)
	}
	tmp := f.Name()
	_, err = f.Write(data)
	if err == nil {
		err = f.Chmod(0o644)
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		_ = os.Remove(tmp)
		return fmt.Errorf("tools: write %s: %w", path, err)
	}
	return nil
}

// DecodeSigned parses the bytes of a signed manifest file (what ReadSigned
// reads), for manifests that do not come from the local file system.
func DecodeSigned(b []byte) (SignedManifest, error) { return decodeSigned(b) }
