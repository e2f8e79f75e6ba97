package sandbox

import (
	"errors"
	"net/netip"
	"strings"
	"testing"
)

func TestPlanHostsMapsNamesToLoopback(t *testing.T) {
	t.Parallel()
	p, err := planHosts([]string{"api.example.com:443", "127.0.0.1:8080", "API.example.com:80", "api.example.com:443", "localhost:9000", "db.internal:5432"})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, f := range p.forwards {
		got[f.Target] = f.Listen.String()
	}
	want := map[string]string{
		"127.0.0.1:8080":      "127.0.0.1:8080",
		"API.example.com:80":  "127.77.0.2:80",
		"api.example.com:443": "127.77.0.2:443",
		"db.internal:5432":    "127.77.0.3:5432",
		"localhost:9000":      "127.0.0.1:9000",
	}
	if len(got) != len(want) {
		t.Fatalf("forwards %v, want %v", got, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s listens at %s, want %s", k, got[k], v)
		}
	}
	hosts := string(p.hosts)
	for _, line := range []string{"127.0.0.1 localhost\n", "127.77.0.2 api.example.com\n", "127.77.0.3 db.internal\n"} {
		if !strings.Contains(hosts, line) {
			t.Errorf("/etc/hosts %q lacks %q", hosts, line)
		}
	}
}

func TestPlanHostsRefuses(t *testing.T) {
	t.Parallel()
	for _, hosts := range [][]string{
		{"10.1.2.3:443"},
		{"[::1]:80"},
		{"169.254.169.254:80"},
		{"example.com"},
		{"example.com:0"},
		{"example.com:http"},
		{"-bad.example.com:80"},
		{"localhost:80", "127.0.0.1:80"},
	} {
		if _, err := planHosts(hosts); !errors.Is(err, ErrSpec) {
			t.Errorf("%q: err = %v, want ErrSpec", hosts, err)
		}
	}
	many := make([]string, maxHosts+1)
	for i := range many {
		many[i] = netip.AddrPortFrom(netip.AddrFrom4([4]byte{127, 0, 0, 1}), uint16(1000+i)).String()
	}
	if _, err := planHosts(many); !errors.Is(err, ErrSpec) {
		t.Errorf("%d hosts: err = %v, want ErrSpec", len(many), err)
	}
}
