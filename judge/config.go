package judge

import (
	"fmt"
	"log/slog"
	"math"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/maso-runtime/maso/actors/llm"
)

// Defaults applied by New to zero fields of Config.
const (
	// DefaultBudget is the latency budget of the LLM tier.
	DefaultBudget = 5 * time.Second
	// DefaultBlockWindow and DefaultBlockThreshold: more than 3 blocks of
	// one agent within 10 minutes call OnThreshold (EC-2.4, PACE P→A).
	DefaultBlockWindow    = 10 * time.Minute
	DefaultBlockThreshold = 3
)

// DefaultSampling returns the default fraction of messages judged per kind:
// every instruction, delegation and claim, a quarter of data messages.
// Kinds not listed are always judged, and so are actions.
func DefaultSampling() map[string]float64 {
	return map[string]float64{"instruction": 1, "delegation": 1, "claim": 1, "data": 0.25}
}

// Config configures a Judge. The zero value is a judge with the rules and
// heuristics tiers only, default sampling, budget and block threshold.
type Config struct {
	// Scanner, when set, supplies the deterministic guardrail findings
	// (injection, canary, credentials) the rules tier acts on.
	Scanner Scanner
	// LLM, when set, enables the LLM tier. Nil means rules and heuristics
	// only.
	LLM *LLMConfig
	// Sampling maps a message kind to the fraction of its messages
	// judged, 0..1. Entries override DefaultSampling; kinds in neither
	// are always judged. Actions are always judged.
	Sampling map[string]float64
	// Budget bounds each LLM call; a call over budget gives a failsafe
	// flag. Zero means DefaultBudget.
	Budget time.Duration
	// BlockWindow and BlockThreshold: when one agent collects more than
	// BlockThreshold blocks within BlockWindow, OnThreshold is called and
	// that agent's count starts again. Zero means the default.
	BlockWindow    time.Duration
	BlockThreshold int
	// OnThreshold is called, synchronously and outside the judge's locks,
	// with the agent and its number of blocks in the window. The runtime
	// uses it to move PACE from Primary to Alternate.
	OnThreshold func(agent string, blocks int)
	// Clock returns the current time; nil means time.Now.
	Clock func() time.Time
	// Rand returns a number in [0, 1) for sampling; nil means
	// math/rand/v2.Float64. It is called under a lock.
	Rand func() float64
	// Logger receives one record per verdict; nil means slog.Default().
	Logger *slog.Logger
}

// LLMConfig configures the LLM tier.
type LLMConfig struct {
	// Client is the chat client of the judge's model.
	Client *llm.Client
	// Model is the model name sent with every call.
	Model string
	// Endpoint is the API base URL of Client, used by DiversityWarning
	// (PG-2.9); it is not used to make calls.
	Endpoint string
}

// withDefaults validates c and fills its zero fields.
func (c Config) withDefaults() (Config, error) {
	if c.Budget < 0 || c.BlockWindow < 0 || c.BlockThreshold < 0 {
		return c, fmt.Errorf("%w: Budget, BlockWindow and BlockThreshold must not be negative", ErrInvalidConfig)
	}
	if c.LLM != nil && (c.LLM.Client == nil || strings.TrimSpace(c.LLM.Model) == "") {
		return c, fmt.Errorf("%w: LLM needs a Client and a Model", ErrInvalidConfig)
	}
	sampling := DefaultSampling()
	for kind, rate := range c.Sampling {
		if math.IsNaN(rate) || rate < 0 || rate > 1 {
			return c, fmt.Errorf("%w: sampling rate %v for kind %q is not within 0..1", ErrInvalidConfig, rate, kind)
		}
		sampling[strings.ToLower(kind)] = rate
	}
	c.Sampling = sampling
	if c.Budget == 0 {
		c.Budget = DefaultBudget
	}
	if c.BlockWindow == 0 {
		c.BlockWindow = DefaultBlockWindow
	}
	if c.BlockThreshold == 0 {
		c.BlockThreshold = DefaultBlockThreshold
	}
	if c.Clock == nil {
		c.Clock = time.Now
	}
	if c.Rand == nil {
		c.Rand = rand.Float64
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	return c, nil
}
