package cli

import (
	"context"
	"crypto/ed25519"
	"flag"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/maso-runtime/maso/tools"
)

// toolsKeygen writes a tool-signing key pair (SC-2.2): the private key
// stays with the operator, the public key goes into the config's
// tool_signing.keys.
func (a *app) toolsKeygen(fs *flag.FlagSet) action {
	dir := fs.String("dir", ".", "`directory` for tool-signing.key (0600) and tool-signing.pub")
	return func(ctx context.Context, args []string) error {
		if err := wantArgs(args); err != nil {
			return err
		}
		priv, err := tools.GenerateKey(*dir)
		if err != nil {
			return fmt.Errorf("masoctl: %w", err)
		}
		fmt.Fprintf(a.stdout, "wrote %s and %s (key id %s)\n", filepath.Join(*dir, "tool-signing.key"),
			filepath.Join(*dir, "tool-signing.pub"), tools.KeyID(priv.Public().(ed25519.PublicKey)))
		return nil
	}
}

// toolsSign signs a manifest (YAML or JSON) into <name>.manifest.json.
func (a *app) toolsSign(fs *flag.FlagSet) action {
	key := fs.String("key", "tool-signing.key", "private signing key `file`")
	out := fs.String("out", "", "output `file` (default: <name>.manifest.json beside the input)")
	return func(ctx context.Context, args []string) error {
		if len(args) != 1 {
			return usageError("give one manifest file to sign")
		}
		m, err := tools.LoadManifest(args[0])
		if err != nil {
			return fmt.Errorf("masoctl: %w", err)
		}
		priv, err := tools.LoadPrivateKey(*key)
		if err != nil {
			return fmt.Errorf("masoctl: %w", err)
		}
		sm, err := tools.Sign(m, priv)
		if err != nil {
			return fmt.Errorf("masoctl: %w", err)
		}
		path := *out
		if path == "" {
			path = filepath.Join(filepath.Dir(args[0]), m.Name+tools.SignedSuffix)
		}
		if err := tools.WriteSigned(path, sm); err != nil {
			return fmt.Errorf("masoctl: %w", err)
		}
		fmt.Fprintf(a.stdout, "signed %s %s (sha256 %s, key %s) -> %s\n", m.Name, m.Version, sm.Hash, sm.KeyID, path)
		return nil
	}
}

// toolsVerify checks signed manifests against public keys.
func (a *app) toolsVerify(fs *flag.FlagSet) action {
	pubs := fs.String("pub", "tool-signing.pub", "comma-separated public key `files`")
	return func(ctx context.Context, args []string) error {
		if len(args) == 0 {
			return usageError("give one or more signed manifest files")
		}
		keys, err := loadKeys(*pubs)
		if err != nil {
			return err
		}
		bad := 0
		for _, p := range args {
			sm, err := tools.ReadSigned(p)
			if err == nil {
				err = tools.Verify(sm, keys)
			}
			if err != nil {
				bad++
				fmt.Fprintf(a.stdout, "FAILED %s: %v\n", p, err)
				continue
			}
			fmt.Fprintf(a.stdout, "ok %s: %s %s sha256 %s key %s\n", p, sm.Manifest.Name, sm.Manifest.Version, sm.Hash, sm.KeyID)
		}
		if bad > 0 {
			return fmt.Errorf("%w: %d manifest(s) do not verify", ErrFailed, bad)
		}
		return nil
	}
}

func loadKeys(list string) (map[string]ed25519.PublicKey, error) {
	var pubs []ed25519.PublicKey
	for _, p := range strings.Split(list, ",") {
		if p = strings.TrimSpace(p); p == "" {
			continue
		}
		pub, err := tools.LoadPublicKey(p)
		if err != nil {
			return nil, fmt.Errorf("masoctl: %w", err)
		}
		pubs = append(pubs, pub)
	}
	if len(pubs) == 0 {
		return nil, usageError("--pub names no key file")
	}
	return tools.Keys(pubs...), nil
}
