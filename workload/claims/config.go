package claims

import (
	_ "embed"

	"github.com/maso-runtime/maso/config"
)

// ConfigYAML is the workload's system configuration, claims.yaml: the three
// tools, the three agents with their tool allow-lists, clearances and
// communication graph, and the claims workflow.
//
//go:embed claims.yaml
var ConfigYAML []byte

// DefaultConfig parses and validates [ConfigYAML].
func DefaultConfig() (*config.Config, error) {
	return config.Parse("claims.yaml", ConfigYAML)
}
