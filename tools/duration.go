package tools

import (
	"fmt"
	"strings"
	"time"
)

// Duration is a [time.Duration] written as a Go duration string such as
// "30s" or "1h30m" in YAML and JSON.
type Duration struct{ time.Duration }

// UnmarshalText decodes a duration string.
func (d *Duration) UnmarshalText(b []byte) error {
	v, err := time.ParseDuration(string(b))
	if err != nil {
		return fmt.Errorf("%w: duration %q (use a form such as \"30s\" or \"1h30m\")", ErrInvalidManifest, b)
	}
	d.Duration = v
	return nil
}

// MarshalText encodes d in its shortest string form, so equal durations
// always have the same canonical bytes.
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
