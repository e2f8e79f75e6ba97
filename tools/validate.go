package tools

import (
	"encoding/json"
	"fmt"
	"path"
	"regexp"
	"slices"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

var (
	namePattern = regexp.MustCompile(`^[a-z0-9][a-z0-9_.-]{0,63}$`)
	hexSHA256   = regexp.MustCompile(`^[0-9a-f]{64}$`)
)

// problems collects what is wrong with a manifest, so one error reports
// all of it.
type problems []string

func (p *problems) addf(format string, args ...any) { *p = append(*p, fmt.Sprintf(format, args...)) }

func (p *problems) require(ok bool, format string, args ...any) {
	if !ok {
		p.addf(format, args...)
	}
}

func (p *problems) oneOf(field, v string, allowed []string) {
	if !slices.Contains(allowed, v) {
		p.addf("%s %q is not one of %s", field, v, strings.Join(allowed, ", "))
	}
}

// Validate checks that m is complete and consistent: required fields,
// the effect, target, data-class and runtime enumerations, schemas that
// compile (the arguments schema must describe an object), a runtime
// section that matches Runtime and no other, pinned hashes written as
// lower-case hex SHA-256, and MaxDuration > 0. All problems are reported
// together, wrapped in [ErrInvalidManifest].
func (m Manifest) Validate() error {
	_, _, err := m.compile()
	return err
}

// compile validates m and returns its compiled schemas.
func (m Manifest) compile() (params, result *jsonschema.Schema, err error) {
	params, result, p := m.check()
	if len(p) > 0 {
		return nil, nil, fmt.Errorf("%w: %q: %s", ErrInvalidManifest, m.Name, strings.Join(p, "; "))
	}
	return params, result, nil
}

// check runs every check and returns the problems found.
func (m Manifest) check() (params, result *jsonschema.Schema, p problems) {
	m.checkFields(&p)
	m.checkRuntime(&p)
	params, result = m.checkSchemas(&p)
	return params, result, p
}

func (m Manifest) checkFields(p *problems) {
	p.require(namePattern.MatchString(m.Name), "name %q must be 1-64 of a-z 0-9 _ . - starting with a letter or digit", m.Name)
	p.require(m.Version != "" && !strings.ContainsAny(m.Version, " \t\n"), "version is required and has no spaces")
	p.require(strings.TrimSpace(m.Description) != "", "description is required")
	effects := make([]string, len(Effects))
	for i, e := range Effects {
		effects[i] = string(e)
	}
	p.oneOf("effect", string(m.Effect), effects)
	p.oneOf("target", m.Target, Targets)
	p.oneOf("data_class", m.DataClass, DataClasses)
	p.oneOf("runtime", m.Runtime, Runtimes)
	p.require(m.MaxDuration.Duration > 0, "max_duration must be > 0")
	if m.Compensation != "" {
		p.require(namePattern.MatchString(m.Compensation) && m.Compensation != m.Name,
			"compensation %q must name another tool", m.Compensation)
	}
	for i, s := range m.Permissions {
		p.require(strings.TrimSpace(s) != "", "permissions[%d] is empty", i)
	}
}

func (m Manifest) checkRuntime(p *problems) {
	set := map[string]bool{"process": m.Process != nil, "wasm": m.Wasm != nil, "mcp": m.MCP != nil}
	for _, s := range []string{"process", "wasm", "mcp"} {
		switch {
		case s == m.Runtime && !set[s]:
			p.addf("runtime %q needs a %s section", m.Runtime, s)
		case s != m.Runtime && set[s]:
			p.addf("%s section given but runtime is %q", s, m.Runtime)
		}
	}
	switch {
	case m.Runtime == "process" && m.Process != nil:
		m.Process.check(p)
	case m.Runtime == "wasm" && m.Wasm != nil:
		m.Wasm.check(p)
	case m.Runtime == "mcp" && m.MCP != nil:
		m.MCP.check(p)
	}
}

func (r *ProcessRuntime) check(p *problems) {
	p.require(len(r.Command) > 0 && r.Command[0] != "", "process.command is required")
	p.require(r.SHA256 == "" || hexSHA256.MatchString(r.SHA256), "process.sha256 must be 64 lower-case hex digits")
	checkMounts(p, "process.mounts", r.Mounts)
	for i, h := range r.Hosts {
		p.require(h != "" && !strings.ContainsAny(h, "/ "), "process.hosts[%d] %q must be host or host:port", i, h)
	}
	r.Limits.check(p, "process.limits")
}

func (r *WasmRuntime) check(p *problems) {
	p.require(r.Module != "", "wasm.module is required")
	p.require(hexSHA256.MatchString(r.SHA256), "wasm.sha256 must be 64 lower-case hex digits")
	checkMounts(p, "wasm.dirs", r.Dirs)
	r.Limits.check(p, "wasm.limits")
}

func (r *MCPRuntime) check(p *problems) {
	p.require(r.Server != "", "mcp.server is required")
	p.require(r.Tool != "", "mcp.tool is required")
	p.require(hexSHA256.MatchString(r.DescriptionSHA256), "mcp.description_sha256 must be 64 lower-case hex digits")
}

func checkMounts(p *problems, field string, ms []Mount) {
	for i, mt := range ms {
		p.require(mt.Host != "", "%s[%d].host is required", field, i)
		p.require(path.IsAbs(mt.Sandbox), "%s[%d].sandbox %q must be an absolute path", field, i, mt.Sandbox)
	}
}

func (l Limits) check(p *problems, field string) {
	p.require(l.MemoryBytes >= 0 && l.Processes >= 0 && l.OutputBytes >= 0 && l.FileBytes >= 0 && l.CPUTime.Duration >= 0,
		"%s must not be negative", field)
}

// checkSchemas compiles the schemas; the arguments schema is required and
// must describe an object.
func (m Manifest) checkSchemas(p *problems) (params, result *jsonschema.Schema) {
	if len(m.Params) == 0 {
		p.addf("params schema is required")
	} else {
		var top struct {
			Type any `json:"type"`
		}
		_ = json.Unmarshal(m.Params, &top)
		p.require(top.Type == "object", `params schema must have "type": "object"`)
		var err error
		if params, err = compileSchema(m.Params, schemaURL("params")); err != nil {
			p.addf("params schema: %v", err)
		}
	}
	if len(m.Result) > 0 {
		var err error
		if result, err = compileSchema(m.Result, schemaURL("result")); err != nil {
			p.addf("result schema: %v", err)
		}
	}
	return params, result
}
