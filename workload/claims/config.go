package claims

import (
	"embed"

	"github.com/maso-runtime/maso/config"
)

// ConfigYAML is the workload's system configuration, claims.yaml: the
// signed tool manifests, the classification rules and caps, the three
// agents with their tool allow-lists, clearances and communication graph,
// the PACE settings and the workflows.
//
//go:embed claims.yaml
var ConfigYAML []byte

// Files holds claims.yaml and what it refers to: the signed tool manifests
// and the public key they are signed with.
//
//go:embed claims.yaml manifests/*.manifest.json manifests/tool-signing.pub
var Files embed.FS

// DefaultConfig parses and validates [ConfigYAML]; its relative paths
// resolve in [Files].
func DefaultConfig() (*config.Config, error) {
	c, err := config.Parse("claims.yaml", ConfigYAML)
	if err != nil {
		return nil, err
	}
	c.Files = Files
	return c, nil
}
