package mcp

import (
	"fmt"
	"net/url"
	"strings"
)

// Server is one allow-listed MCP server, from the system configuration
// and vetted by AI security (SC-2.3). Exactly one of Command and URL is
// set.
type Server struct {
	// Name identifies the server in the allow-list and in tool manifests
	// (tools.MCPRuntime.Server).
	Name string
	// Command runs a stdio server: the executable (looked up in PATH when
	// it has no slash) and its arguments. The child process gets an
	// environment holding only PATH; its stderr goes to the log at debug
	// level.
	Command []string
	// URL is a streamable-HTTP endpoint (http or https).
	URL string
}

// transport names the server's transport for logs.
func (s Server) transport() string {
	if s.URL != "" {
		return "http"
	}
	return "stdio"
}

// validate checks one server on its own.
func (s Server) validate() error {
	if strings.TrimSpace(s.Name) == "" {
		return fmt.Errorf("%w: a server has no name", ErrInvalidConfig)
	}
	switch {
	case len(s.Command) > 0 && s.URL != "":
		return fmt.Errorf("%w: server %q: both command and url are set", ErrInvalidConfig, s.Name)
	case len(s.Command) > 0:
		if strings.TrimSpace(s.Command[0]) == "" {
			return fmt.Errorf("%w: server %q: empty executable", ErrInvalidConfig, s.Name)
		}
	case s.URL != "":
		u, err := url.Parse(s.URL)
		if err != nil {
			return fmt.Errorf("%w: server %q: url: %w", ErrInvalidConfig, s.Name, err)
		}
		if u.Scheme != "http" && u.Scheme != "https" {
			return fmt.Errorf("%w: server %q: url scheme %q, want http or https", ErrInvalidConfig, s.Name, u.Scheme)
		}
		if u.Host == "" {
			return fmt.Errorf("%w: server %q: url has no host", ErrInvalidConfig, s.Name)
		}
	default:
		return fmt.Errorf("%w: server %q: neither command nor url is set", ErrInvalidConfig, s.Name)
	}
	return nil
}

// validateServers checks every server and that names are unique.
func validateServers(servers []Server) error {
	seen := make(map[string]bool, len(servers))
	for _, s := range servers {
		if err := s.validate(); err != nil {
			return err
		}
		if seen[s.Name] {
			return fmt.Errorf("%w: server %q is listed twice", ErrInvalidConfig, s.Name)
		}
		seen[s.Name] = true
	}
	return nil
}
