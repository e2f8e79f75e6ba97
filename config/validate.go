package config

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
)

var (
	nameRE     = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$`)
	toolNameRE = regexp.MustCompile(`^[a-z][a-z0-9_-]{0,63}$`)
	domainRE   = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$`)
	envRE      = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

	issuers   = []string{"builtin", "vault"}
	exporters = []string{"none", "stdout"}
	runtimes  = []string{"go"}
)

// Validate fills in defaults for unset fields, checks every rule and, on
// success, precomputes the communication graph used by [Config.Allowed].
// On failure it returns an [Errors] with every problem, sorted by line;
// lines are known only for a Config that came from [Parse] or [Load].
func (c *Config) Validate() error {
	c.applyDefaults()
	k := &checker{c: c}
	k.top()
	k.tools()
	k.agents()
	k.workflows()
	k.pace()
	if err := k.errs.sorted(); err != nil {
		c.graph = nil
		return err
	}
	c.graph = buildGraph(c.Agents)
	return nil
}

// checker collects validation errors for one Config.
type checker struct {
	c    *Config
	errs Errors
}

func (k *checker) fail(field, format string, args ...any) {
	k.errs = append(k.errs, &Error{
		File:  k.c.Source,
		Line:  k.c.pos.line(field),
		Field: field,
		Msg:   fmt.Sprintf(format, args...),
	})
}

// top checks the node-wide settings.
func (k *checker) top() {
	c := k.c
	if len(c.TrustDomain) > 253 || !domainRE.MatchString(c.TrustDomain) {
		k.fail("trust_domain", "invalid trust domain %q: use lowercase DNS labels such as %q", c.TrustDomain, DefaultTrustDomain)
	}
	k.name("node", c.Node)
	if n := c.Bus.MaxPayloadBytes; n < 1 || n > MaxPayloadLimit {
		k.fail("bus.max_payload_bytes", "must be between 1 and %d (64 MiB), got %d", MaxPayloadLimit, n)
	}
	k.positive("bus.message_ttl", c.Bus.MessageTTL)
	k.positive("bus.clock_skew", c.Bus.ClockSkew)
	k.positive("bus.request_timeout", c.Bus.RequestTimeout)
	k.oneOf("identity.issuer", "issuer", c.Identity.Issuer, issuers)
	k.positive("identity.default_ttl", c.Identity.DefaultTTL)
	k.positive("identity.read_only_ttl", c.Identity.ReadOnlyTTL)
	k.oneOf("telemetry.traces", "traces exporter", c.Telemetry.Traces, exporters)
	k.oneOf("telemetry.metrics", "metrics exporter", c.Telemetry.Metrics, exporters)
}

// name checks the name rule shared by nodes, tools, agents and workflows.
func (k *checker) name(field, v string) bool {
	switch {
	case v == "":
		k.fail(field, "name is required")
	case !nameRE.MatchString(v):
		k.fail(field, "invalid name %q: use 1-63 lowercase letters, digits or '-', starting and ending with a letter or digit", v)
	default:
		return true
	}
	return false
}

// toolName checks the rule for tool names, which follow the function-calling
// convention of model APIs: 1-64 lowercase letters, digits, '_' or '-'.
func (k *checker) toolName(field, v string) bool {
	switch {
	case v == "":
		k.fail(field, "name is required")
	case !toolNameRE.MatchString(v):
		k.fail(field, "invalid tool name %q: use 1-64 lowercase letters, digits, '_' or '-', starting with a letter", v)
	default:
		return true
	}
	return false
}

// unique records name as defined at field, failing if it was seen before.
func (k *checker) unique(field, what, name string, seen map[string]string) {
	first, dup := seen[name]
	if !dup {
		seen[name] = field
		return
	}
	where := first
	if l := k.c.pos.line(first); l > 0 {
		where = fmt.Sprintf("line %d", l)
	}
	k.fail(field, "duplicate %s name %q (first defined at %s)", what, name, where)
}

// oneOf checks that v is one of allowed.
func (k *checker) oneOf(field, what, v string, allowed []string) {
	if slices.Contains(allowed, v) {
		return
	}
	if v == "" {
		k.fail(field, "%s is required (allowed: %s)", what, strings.Join(allowed, ", "))
		return
	}
	k.fail(field, "unknown %s %q (allowed: %s)", what, v, strings.Join(allowed, ", "))
}

// positive rejects negative durations, and zero ones the file set.
func (k *checker) positive(field string, d Duration) {
	if d.Duration < 0 || (d.Duration == 0 && k.c.pos.set(field)) {
		k.fail(field, "must be greater than 0, got %s", d)
	}
}

// required fails when v is empty.
func (k *checker) required(field, v string) bool {
	if v == "" {
		k.fail(field, "required")
		return false
	}
	return true
}

// reserved explains why a runtime name cannot be an agent name.
func reserved(name string) string {
	if name == "orchestrator" {
		return `name "orchestrator" is reserved for the runtime (IA-2.5: the orchestrator only routes and holds no tools)`
	}
	return fmt.Sprintf("name %q is reserved for the runtime", name)
}
