package dlp

import (
	"errors"
	"fmt"
	"strings"
)

// ErrInvalidConfig reports a Config that Validate refuses. The returned
// error wraps it with the offending field.
var ErrInvalidConfig = errors.New("dlp: invalid config")

// Defaults applied by New to zero Config fields.
const (
	DefaultMaxDepth    = 3
	DefaultWindow      = 8 << 10
	DefaultMaxTasks    = 10000
	DefaultPromptWords = 8
)

// Limits checked by Validate.
const (
	maxDepthLimit  = 8
	minCanaryAlnum = 8
)

// Config configures a Scanner. The zero value is usable: New fills zero
// fields with the defaults above.
type Config struct {
	// MaxDepth bounds recursive decoding (base64 in URL encoding in ...).
	// Zero means DefaultMaxDepth.
	MaxDepth int
	// Canaries are canary tokens planted in system prompts. They are never
	// allowed out (PG-1.2, PG-2.3) and cannot be made redactable. Matching
	// ignores case; canaries with at least 8 letters and digits are also
	// found with up to 8 separators, spaces or invisible characters
	// between their characters.
	Canaries []string
	// Prompts are system prompts whose fragments must not reach the bus or
	// a user (PG-2.3). Any PromptWords consecutive words of a prompt found
	// in a text is a "system_prompt" finding; a prompt of 4 to
	// PromptWords-1 words is matched whole, and shorter ones are ignored.
	Prompts []string
	// PromptWords is the fragment length, in words, for Prompts. Zero means
	// DefaultPromptWords.
	PromptWords int
	// Redact names the detectors whose matches are redacted rather than
	// blocking ("permitted-but-sensitive", DP-2.1). A key matches a detector
	// name exactly or as a dotted prefix: "national_id" covers
	// "national_id.us_ssn". Canary, system-prompt and injection detectors
	// always block; keys naming them are ignored.
	Redact map[string]bool
	// Window is the per-task window, in bytes, that ScanTask keeps of the
	// previous messages of a task. Zero means DefaultWindow.
	Window int
	// MaxTasks bounds the number of task windows remembered; the least
	// recently used window is dropped first. Zero means DefaultMaxTasks.
	MaxTasks int
}

// DefaultConfig returns a Config with every default filled in.
func DefaultConfig() Config {
	return Config{
		MaxDepth:    DefaultMaxDepth,
		PromptWords: DefaultPromptWords,
		Window:      DefaultWindow,
		MaxTasks:    DefaultMaxTasks,
	}
}

// Validate reports the first problem of c, wrapping ErrInvalidConfig.
// Zero fields are valid (they take defaults).
func (c Config) Validate() error {
	switch {
	case c.MaxDepth < 0 || c.MaxDepth > maxDepthLimit:
		return fmt.Errorf("%w: MaxDepth %d outside 0..%d", ErrInvalidConfig, c.MaxDepth, maxDepthLimit)
	case c.Window < 0:
		return fmt.Errorf("%w: negative Window %d", ErrInvalidConfig, c.Window)
	case c.MaxTasks < 0:
		return fmt.Errorf("%w: negative MaxTasks %d", ErrInvalidConfig, c.MaxTasks)
	case c.PromptWords < 0:
		return fmt.Errorf("%w: negative PromptWords %d", ErrInvalidConfig, c.PromptWords)
	}
	for i, k := range c.Canaries {
		if n := len(squeezeKey(k)); n < minCanaryAlnum {
			return fmt.Errorf("%w: canary %d has %d letters and digits, want at least %d", ErrInvalidConfig, i, n, minCanaryAlnum)
		}
	}
	for name := range c.Redact {
		if err := checkRedactKey(name); err != nil {
			return err
		}
	}
	return nil
}

// checkRedactKey reports a Redact key that names no detector or names one
// that always blocks.
func checkRedactKey(key string) error {
	known := false
	for _, d := range detectorInfo {
		if !matchesKey(d.name, key) {
			continue
		}
		if d.alwaysBlocks() {
			return fmt.Errorf("%w: detector %q always blocks and cannot be redacted", ErrInvalidConfig, d.name)
		}
		known = true
	}
	if !known {
		return fmt.Errorf("%w: Redact names unknown detector %q", ErrInvalidConfig, key)
	}
	return nil
}

// matchesKey reports whether a Redact key covers detector name.
func matchesKey(name, key string) bool {
	return name == key || strings.HasPrefix(name, key+".")
}

// withDefaults returns c with zero fields set to their defaults.
func (c Config) withDefaults() Config {
	d := DefaultConfig()
	if c.MaxDepth <= 0 {
		c.MaxDepth = d.MaxDepth
	}
	if c.PromptWords <= 0 {
		c.PromptWords = d.PromptWords
	}
	if c.Window <= 0 {
		c.Window = d.Window
	}
	if c.MaxTasks <= 0 {
		c.MaxTasks = d.MaxTasks
	}
	return c
}
