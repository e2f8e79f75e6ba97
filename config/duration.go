package config

import (
	"fmt"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// Duration is a [time.Duration] written in YAML as a Go duration string
// such as "90s" or "1h30m".
type Duration struct{ time.Duration }

// UnmarshalYAML decodes a duration string.
func (d *Duration) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.ScalarNode {
		return fmt.Errorf("%w: expected a duration such as \"90s\", got %s", ErrDuration, describe(n))
	}
	return d.UnmarshalText([]byte(n.Value))
}

// MarshalYAML encodes d in its shortest string form.
func (d Duration) MarshalYAML() (any, error) {
	return d.String(), nil
}

// UnmarshalText decodes a duration string, so Duration also works with
// encoding/json and flags.
func (d *Duration) UnmarshalText(b []byte) error {
	v, err := time.ParseDuration(string(b))
	if err != nil {
		return fmt.Errorf("%w: %q (use a form such as \"90s\" or \"1h30m\")", ErrDuration, b)
	}
	d.Duration = v
	return nil
}

// MarshalText encodes d in its shortest string form.
func (d Duration) MarshalText() ([]byte, error) {
	return []byte(d.String()), nil
}

// String formats d like [time.Duration.String] without zero trailing
// units: "1h30m" rather than "1h30m0s".
func (d Duration) String() string {
	s := d.Duration.String()
	if strings.HasSuffix(s, "m0s") {
		s = s[:len(s)-2]
	}
	if strings.HasSuffix(s, "h0m") {
		s = s[:len(s)-2]
	}
	return s
}
