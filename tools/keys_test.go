package tools

import (
	"os"
	"path/filepath"
	"testing"
)

func TestGenerateKeyFilesAndLoad(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "keys")
	priv, err := GenerateKey(dir)
	if err != nil {
		t.Fatal(err)
	}
	for file, want := range map[string]os.FileMode{PrivateKeyFile: 0o600, PublicKeyFile: 0o644} {
		fi, err := os.Stat(filepath.Join(dir, file))
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != want {
			t.Errorf("%s mode %04o, want %04o", file, fi.Mode().Perm(), want)
		}
	}
	if fi, _ := os.Stat(dir); fi.Mode().Perm() != 0o700 {
		t.Errorf("key directory mode %04o, want 0700", fi.Mode().Perm())
	}
	loaded, err := LoadPrivateKey(filepath.Join(dir, PrivateKeyFile))
	if err != nil {
		t.Fatal(err)
	}
	if !loaded.Equal(priv) {
		t.Fatal("loaded private key differs")
	}
	pub, err := LoadPublicKey(filepath.Join(dir, PublicKeyFile))
	if err != nil {
		t.Fatal(err)
	}
	if err := Verify(mustSign(t, testManifest(), loaded), Keys(pub)); err != nil {
		t.Fatal(err)
	}
}

func TestGenerateKeyNeverOverwrites(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if _, err := GenerateKey(dir); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(filepath.Join(dir, PrivateKeyFile))
	_, err := GenerateKey(dir)
	wantErr(t, err, ErrKey, "exists")
	after, _ := os.ReadFile(filepath.Join(dir, PrivateKeyFile))
	if string(before) != string(after) {
		t.Fatal("the existing key was overwritten")
	}
}

func TestLoadPrivateKeyRefusesLooseMode(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if _, err := GenerateKey(dir); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, PrivateKeyFile)
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := LoadPrivateKey(path)
	wantErr(t, err, ErrKey, "mode 0644, want 0600")
}

func TestLoadKeyWrongType(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if _, err := GenerateKey(dir); err != nil {
		t.Fatal(err)
	}
	_, err := LoadPublicKey(filepath.Join(dir, PrivateKeyFile))
	wantErr(t, err, ErrKey, `PEM block "PRIVATE KEY", want "PUBLIC KEY"`)
	notPEM := filepath.Join(dir, "junk")
	if err := os.WriteFile(notPEM, []byte("junk"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err = LoadPrivateKey(notPEM)
	wantErr(t, err, ErrKey, "no PEM block")
	_, err = Sign(testManifest(), nil)
	wantErr(t, err, ErrKey)
}
