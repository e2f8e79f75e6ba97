package identity

import (
	"crypto/x509"
	"errors"
	"net/url"
	"strings"
	"testing"
)

func TestParseIDRoundTrip(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want ID
	}{
		{"spiffe://example.org/agent/intake", AgentID("example.org", "intake")},
		{"spiffe://td/system/orchestrator", SystemID("td", "orchestrator")},
		{"spiffe://prod.maso-1.internal/node/node-3", NodeID("prod.maso-1.internal", "node-3")},
		{"spiffe://a/agent/0", AgentID("a", "0")},
		{"spiffe://a/agent/" + strings.Repeat("x", 63), AgentID("a", strings.Repeat("x", 63))},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			got, err := ParseID(tt.in)
			if err != nil {
				t.Fatalf("ParseID(%q): %v", tt.in, err)
			}
			if got != tt.want {
				t.Fatalf("ParseID(%q) = %#v, want %#v", tt.in, got, tt.want)
			}
			if s := got.String(); s != tt.in {
				t.Errorf("String() = %q, want %q", s, tt.in)
			}
			if s := got.URL().String(); s != tt.in {
				t.Errorf("URL().String() = %q, want %q", s, tt.in)
			}
			if err := got.Validate(); err != nil {
				t.Errorf("Validate: %v", err)
			}
		})
	}
}

func TestParseIDRejects(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in, wantMsg string
	}{
		{"", "scheme"},
		{"https://example.org/agent/a", "scheme"},
		{"SPIFFE://example.org/agent/a", "scheme"},
		{"spiffe://Example.org/agent/a", "uppercase"},
		{"spiffe://example.org:443/agent/a", "port"},
		{"spiffe://user@example.org/agent/a", "user info"},
		{"spiffe://example.org/agent/a?x=1", "query"},
		{"spiffe://example.org/agent/a#f", "fragment"},
		{"spiffe://example.org/agent/a%41", "escapes"},
		{"spiffe://example.org", "missing path"},
		{"spiffe:///agent/a", "empty trust domain"},
		{"spiffe://exa_mple.org/agent/a", "character"},
		{"spiffe://example..org/agent/a", "label"},
		{"spiffe://-example.org/agent/a", "start and end"},
		{"spiffe://example.org/agent", "exactly two segments"},
		{"spiffe://example.org/agent/a/b", "exactly two segments"},
		{"spiffe://example.org/agent/a/", "exactly two segments"},
		{"spiffe://example.org/robot/a", `unknown kind "robot"`},
		{"spiffe://example.org/Agent/a", `unknown kind "Agent"`},
		{"spiffe://example.org/agent/", `invalid name ""`},
		{"spiffe://example.org/agent/Intake", `invalid name "Intake"`},
		{"spiffe://example.org/agent/-intake", "start and end"},
		{"spiffe://example.org/agent/intake-", "start and end"},
		{"spiffe://example.org/agent/in.take", "character"},
		{"spiffe://example.org/agent/" + strings.Repeat("x", 64), "length"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			id, err := ParseID(tt.in)
			if err == nil {
				t.Fatalf("ParseID(%q) = %v, want error", tt.in, id)
			}
			if !errors.Is(err, ErrInvalidID) {
				t.Errorf("error %v does not wrap ErrInvalidID", err)
			}
			if !strings.Contains(err.Error(), tt.wantMsg) {
				t.Errorf("error %q does not mention %q", err, tt.wantMsg)
			}
		})
	}
}

func TestValidName(t *testing.T) {
	t.Parallel()
	good := []string{"a", "intake", "agent-7", "0a", strings.Repeat("z", 63)}
	for _, n := range good {
		if err := ValidName(n); err != nil {
			t.Errorf("ValidName(%q): %v", n, err)
		}
	}
	bad := []string{"", "-a", "a-", "A", "a_b", "a b", "é", strings.Repeat("z", 64)}
	for _, n := range bad {
		err := ValidName(n)
		if !errors.Is(err, ErrInvalidName) {
			t.Errorf("ValidName(%q) = %v, want ErrInvalidName", n, err)
			continue
		}
		if !strings.Contains(err.Error(), `"`+n+`"`) {
			t.Errorf("ValidName(%q) error %q does not name it", n, err)
		}
	}
}

func TestIDZero(t *testing.T) {
	t.Parallel()
	var id ID
	if !id.IsZero() || id.String() != "" || id.URL().String() != "" {
		t.Fatalf("zero ID: IsZero=%v String=%q URL=%q", id.IsZero(), id.String(), id.URL())
	}
	if err := id.Validate(); !errors.Is(err, ErrInvalidID) {
		t.Fatalf("zero ID Validate = %v, want ErrInvalidID", err)
	}
	if AgentID("td", "a").IsZero() {
		t.Fatal("non-zero ID reported zero")
	}
}

func TestIDFromCert(t *testing.T) {
	t.Parallel()
	mustURL := func(s string) *url.URL {
		u, err := url.Parse(s)
		if err != nil {
			t.Fatal(err)
		}
		return u
	}
	agent := "spiffe://example.org/agent/intake"
	tests := []struct {
		name string
		uris []string
		ok   bool
	}{
		{"one spiffe ID", []string{agent}, true},
		{"no URI", nil, false},
		{"two spiffe IDs", []string{agent, "spiffe://example.org/agent/other"}, false},
		{"spiffe plus https", []string{agent, "https://example.org/"}, false},
		{"https only", []string{"https://example.org/agent/intake"}, false},
		{"bad spiffe", []string{"spiffe://example.org/agent/a/b"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := &x509.Certificate{}
			for _, s := range tt.uris {
				c.URIs = append(c.URIs, mustURL(s))
			}
			id, err := IDFromCert(c)
			if tt.ok {
				if err != nil || id.String() != agent {
					t.Fatalf("IDFromCert = %v, %v; want %s", id, err, agent)
				}
				return
			}
			if !errors.Is(err, ErrInvalidID) {
				t.Fatalf("IDFromCert = %v, %v; want ErrInvalidID", id, err)
			}
		})
	}
	if _, err := IDFromCert(nil); !errors.Is(err, ErrInvalidID) {
		t.Fatalf("IDFromCert(nil) = %v", err)
	}
}
