package vault

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/vault/api"
)

func TestConfigValidate(t *testing.T) {
	t.Parallel()
	ok := Config{Role: "agent"}
	tests := []struct {
		name   string
		mutate func(*Config)
		want   error
	}{
		{"defaults", func(*Config) {}, nil},
		{"nested mount", func(c *Config) { c.Mount = "/pki/agents/" }, nil},
		{"no role", func(c *Config) { c.Role = "" }, ErrConfig},
		{"role with slash", func(c *Config) { c.Role = "a/../b" }, ErrConfig},
		{"mount with dot-dot", func(c *Config) { c.Mount = "pki/../sys" }, ErrConfig},
		{"class without role", func(c *Config) { c.Roles = map[string]string{"write": ""} }, ErrConfig},
		{"negative timeout", func(c *Config) { c.Timeout = -time.Second }, ErrConfig},
		{"approle without secret", func(c *Config) { c.AppRole = &AppRole{RoleID: "r"} }, ErrConfig},
		{"approle bad mount", func(c *Config) { c.AppRole = &AppRole{RoleID: "r", SecretID: "s", Mount: "a b"} }, ErrConfig},
		{"approle", func(c *Config) { c.AppRole = &AppRole{RoleID: "r", SecretID: "s"} }, nil},
	}
	for _, tt := range tests {
		c := ok
		tt.mutate(&c)
		if err := c.Validate(); !errors.Is(err, tt.want) || (tt.want == nil && err != nil) {
			t.Errorf("%s: Validate() = %v, want %v", tt.name, err, tt.want)
		}
	}
}

func TestConfigDefaults(t *testing.T) {
	t.Parallel()
	a := &AppRole{RoleID: "r", SecretID: "s"}
	c := Config{Role: "agent", Mount: "/pki/", AppRole: a}.withDefaults()
	if c.Mount != "pki" || c.Timeout != DefaultTimeout || c.Logger == nil || c.AppRole.Mount != "approle" {
		t.Errorf("withDefaults() = mount %q timeout %v logger %v approle mount %q", c.Mount, c.Timeout, c.Logger, c.AppRole.Mount)
	}
	if a.Mount != "" {
		t.Errorf("withDefaults modified the caller's AppRole")
	}
	if d := DefaultConfig("agent"); d.Validate() != nil || d.Mount != "pki" {
		t.Errorf("DefaultConfig(agent) = %+v", d)
	}
}

func TestCheckSerial(t *testing.T) {
	t.Parallel()
	good := map[string]string{
		"0a:1b:ff": "0a:1b:ff",
		"0A-1B-FF": "0a:1b:ff",
		" 7f ":     "7f",
		"00:80:7f": "00:80:7f",
	}
	for in, want := range good {
		if got, err := checkSerial(in); err != nil || got != want {
			t.Errorf("checkSerial(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "0a:", "a", "0a::0b", "0g", "0a/0b", "../x", "0a:0b?x=1"} {
		if _, err := checkSerial(bad); err == nil {
			t.Errorf("checkSerial(%q) accepted", bad)
		}
	}
}

func TestClassify(t *testing.T) {
	t.Parallel()
	resp := func(code int, msgs ...string) error {
		return &api.ResponseError{HTTPMethod: "PUT", URL: "http://127.0.0.1/v1/x", StatusCode: code, Errors: msgs}
	}
	tests := []struct {
		err  error
		want error
	}{
		{resp(400, "URI Subject Alternative Names were provided via CSR which are not valid for this role"), ErrRejected},
		{resp(401), ErrAuth},
		{resp(403, "permission denied"), ErrPermissionDenied},
		{resp(403, "2 errors occurred:\n\t* permission denied\n\t* invalid token\n\n"), ErrAuth},
		{resp(404), ErrNotFound},
		{resp(429), ErrUnavailable},
		{resp(500, "internal error"), ErrUnavailable},
		{resp(503, "Vault is sealed"), ErrUnavailable},
		{&net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connection refused")}, ErrUnavailable},
		{fmt.Errorf("get: %w", context.DeadlineExceeded), ErrUnavailable},
	}
	for _, tt := range tests {
		got := classify(context.Background(), "write", "pki/sign/agent", tt.err)
		if !errors.Is(got, tt.want) {
			t.Errorf("classify(%v) = %v, want %v", tt.err, got, tt.want)
		}
		if !errors.Is(got, tt.err) {
			t.Errorf("classify(%v) does not wrap the cause", tt.err)
		}
		if msg := got.Error(); !strings.Contains(msg, "pki/sign/agent") || strings.Contains(msg, "\n") {
			t.Errorf("classify(%v) message %q: want one line naming the path", tt.err, msg)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if got := classify(ctx, "read", "pki/cert/ca", resp(500)); !errors.Is(got, context.Canceled) || errors.Is(got, ErrUnavailable) {
		t.Errorf("classify under a cancelled context = %v, want context.Canceled only", got)
	}
}

// TestNewUnreachable needs no Vault: nothing listens on the address.
func TestNewUnreachable(t *testing.T) {
	t.Parallel()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := "http://" + l.Addr().String()
	l.Close()
	const token = "s.secret-token-value"
	start := time.Now()
	_, err = New(context.Background(), Config{Address: addr, Token: token, Role: "agent", Timeout: 2 * time.Second})
	if !errors.Is(err, ErrUnavailable) {
		t.Fatalf("New(%s) error = %v, want ErrUnavailable", addr, err)
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("New took %v to see a refused connection", d)
	}
	if msg := err.Error(); !strings.Contains(msg, addr) || !strings.Contains(msg, "connection refused") || strings.Contains(msg, token) {
		t.Errorf("error %q: want the address, the cause and no token", msg)
	}
}
