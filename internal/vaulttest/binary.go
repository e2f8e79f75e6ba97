package vaulttest

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// BinaryEnv names the environment variable that overrides where the vault
// binary is found.
const BinaryEnv = "MASO_VAULT_BIN"

// errNoBinary is wrapped by findBinary when there is no vault binary.
var errNoBinary = errors.New("vaulttest: vault binary not found: run make vault (scripts/build-vault.sh)")

// findBinary returns $MASO_VAULT_BIN, or bin/vault in the module root: the
// nearest directory at or above dir that holds a go.mod.
func findBinary(dir string) (string, error) {
	if p := os.Getenv(BinaryEnv); p != "" {
		if err := executable(p); err != nil {
			return "", fmt.Errorf("%w: %s=%s: %w", errNoBinary, BinaryEnv, p, err)
		}
		return p, nil
	}
	root, err := moduleRoot(dir)
	if err != nil {
		return "", err
	}
	p := filepath.Join(root, "bin", "vault")
	if err := executable(p); err != nil {
		return "", fmt.Errorf("%w: %w", errNoBinary, err)
	}
	return p, nil
}

// moduleRoot walks up from dir to the first directory with a go.mod.
func moduleRoot(dir string) (string, error) {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return "", fmt.Errorf("vaulttest: %w", err)
	}
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return d, nil
		}
		if filepath.Dir(d) == d {
			return "", fmt.Errorf("%w: no go.mod at or above %s", errNoBinary, dir)
		}
	}
}

func executable(p string) error {
	fi, err := os.Stat(p)
	if err != nil {
		return err
	}
	if fi.IsDir() || fi.Mode()&0o111 == 0 {
		return fmt.Errorf("%s is not an executable file", p)
	}
	return nil
}
