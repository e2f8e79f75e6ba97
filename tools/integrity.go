package tools

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// VerifyArtifacts is the load-time integrity check (SC-2.4): the files a
// manifest pins by hash must have that hash. It checks the WebAssembly
// module (always pinned) and the process executable when process.sha256
// is given. Relative paths are resolved against dir, normally the
// manifest's directory; a bare command name is looked up in PATH. A
// mismatch wraps [ErrIntegrity] and the tool must not run.
func (m Manifest) VerifyArtifacts(ctx context.Context, dir string) error {
	switch {
	case m.Runtime == "wasm" && m.Wasm != nil:
		return verifyFile(ctx, m.Name, resolve(dir, m.Wasm.Module), m.Wasm.SHA256)
	case m.Runtime == "process" && m.Process != nil && m.Process.SHA256 != "" && len(m.Process.Command) > 0:
		p := m.Process.Command[0]
		if !strings.ContainsRune(p, filepath.Separator) {
			found, err := exec.LookPath(p)
			if err != nil {
				return fmt.Errorf("%w: %s: %w", ErrIntegrity, m.Name, err)
			}
			return verifyFile(ctx, m.Name, found, m.Process.SHA256)
		}
		return verifyFile(ctx, m.Name, resolve(dir, p), m.Process.SHA256)
	}
	return nil
}

// VerifyDescription checks the tool description an MCP server advertises
// against the pinned hash: a server that changes a tool's description
// after vetting (a rug-pull) is refused with [ErrIntegrity].
func (r *MCPRuntime) VerifyDescription(desc string) error {
	if got := hashHex([]byte(desc)); got != r.DescriptionSHA256 {
		return fmt.Errorf("%w: MCP server %q tool %q: description hash %s, pinned %s",
			ErrIntegrity, r.Server, r.Tool, short(got), short(r.DescriptionSHA256))
	}
	return nil
}

// FileSHA256 returns the hex SHA-256 of a file, checking ctx between
// chunks.
func FileSHA256(ctx context.Context, path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", fmt.Errorf("%w: %w", ErrIntegrity, err)
	}
	defer f.Close()
	h := sha256.New()
	buf := make([]byte, 256<<10)
	for {
		if err := ctx.Err(); err != nil {
			return "", err
		}
		n, err := f.Read(buf)
		h.Write(buf[:n])
		if err == io.EOF {
			return hex.EncodeToString(h.Sum(nil)), nil
		}
		if err != nil {
			return "", fmt.Errorf("%w: %s: %w", ErrIntegrity, path, err)
		}
	}
}

func verifyFile(ctx context.Context, tool, path, want string) error {
	got, err := FileSHA256(ctx, path)
	if err != nil {
		return err
	}
	if got != want {
		return fmt.Errorf("%w: %s: %s has hash %s, the manifest pins %s", ErrIntegrity, tool, path, short(got), short(want))
	}
	return nil
}

func resolve(dir, p string) string {
	if filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(dir, p)
}
