package mcp

import (
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"
)

func TestNewRegistryValidates(t *testing.T) {
	for _, tc := range []struct {
		name    string
		servers []Server
		want    string
	}{
		{"no name", []Server{{URL: "http://127.0.0.1:1/mcp"}}, "a server has no name"},
		{"both", []Server{{Name: "a", URL: "http://127.0.0.1:1/mcp", Command: []string{"srv"}}}, `server "a": both command and url are set`},
		{"neither", []Server{{Name: "a"}}, `server "a": neither command nor url is set`},
		{"empty executable", []Server{{Name: "a", Command: []string{""}}}, `server "a": empty executable`},
		{"scheme", []Server{{Name: "a", URL: "ftp://127.0.0.1/mcp"}}, `url scheme "ftp"`},
		{"no host", []Server{{Name: "a", URL: "http:///mcp"}}, "url has no host"},
		{"unparsable", []Server{{Name: "a", URL: "http://[::1"}}, `server "a": url:`},
		{"duplicate", []Server{{Name: "a", Command: []string{"x"}}, {Name: "a", URL: "http://127.0.0.1:1"}}, `server "a" is listed twice`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := NewRegistry(tc.servers, nil)
			wantErr(t, err, ErrInvalidConfig, tc.want)
		})
	}
	r, err := NewRegistry([]Server{{Name: "a", Command: []string{"srv", "-v"}}, {Name: "b", URL: "https://127.0.0.1:8443/mcp"}}, nil)
	must(t, err)
	must(t, r.Close())
	must(t, r.Close()) // idempotent
}

// TestNotAllowedBeforeAnyConnection: SC-T2.4. A server that is not on the
// allow-list is refused by every entry point, and no request reaches it
// (nor the allow-listed one).
func TestNotAllowedBeforeAnyConnection(t *testing.T) {
	listed, rogue := newTestServer(t), newTestServer(t)
	r, _, logs := newRegistry(t, Server{Name: "crm", URL: listed.url()})
	ctx := ctxT(t, 10*time.Second)

	wantErr(t, r.Connect(ctx, "rogue"), ErrNotAllowed, `"rogue"`)
	_, _, err := r.Describe(ctx, "rogue", "lookup")
	wantErr(t, err, ErrNotAllowed, `"rogue"`)
	_, err = r.Pin(ctx, "rogue", "lookup")
	wantErr(t, err, ErrNotAllowed, `"rogue"`)
	_, err = r.Call(ctx, pinned("rogue", "lookup", "00"), nil)
	wantErr(t, err, ErrNotAllowed, `"rogue"`)

	if n := rogue.requests.Load() + listed.requests.Load(); n != 0 {
		t.Fatalf("%d requests reached a server", n)
	}
	if rogue.lookups.Load() != 0 {
		t.Fatal("the rogue server's tool ran")
	}
	if got := logs.String(); !contains(got, "control=SC-2.3", "server=rogue") {
		t.Fatalf("no refusal logged:\n%s", got)
	}
	// The allow-listed server is reachable through the same registry.
	must(t, r.Connect(ctx, "crm"))
	if listed.requests.Load() == 0 {
		t.Fatal("Connect made no request to the allow-listed server")
	}
}

// TestRedirectAwayRefused: an allow-listed URL that redirects to another
// origin does not lead the registry there.
func TestRedirectAwayRefused(t *testing.T) {
	elsewhere := newTestServer(t)
	front := httptest.NewServer(http.RedirectHandler(elsewhere.url(), http.StatusTemporaryRedirect))
	t.Cleanup(front.Close)
	r, _, _ := newRegistry(t, Server{Name: "crm", URL: front.URL})
	err := r.Connect(ctxT(t, 10*time.Second), "crm")
	wantErr(t, err, ErrNotAllowed, "redirect from "+front.URL)
	wantErr(t, err, ErrUnavailable, `"crm"`)
	if n := elsewhere.requests.Load(); n != 0 {
		t.Fatalf("%d requests followed the redirect", n)
	}
}

// TestServerNeverUp: nothing listens at the allow-listed address.
func TestServerNeverUp(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	must(t, err)
	addr := ln.Addr().String()
	must(t, ln.Close())
	r, _, _ := newRegistry(t, Server{Name: "crm", URL: "http://" + addr + "/mcp"})
	ctx := ctxT(t, 10*time.Second)
	wantErr(t, r.Connect(ctx, "crm"), ErrUnavailable, `connecting to server "crm"`)
	_, err = r.Call(ctx, pinned("crm", "lookup", "00"), nil)
	wantErr(t, err, ErrUnavailable, `"crm"`)
}

// TestOneSessionPerServer: concurrent first uses share one session.
func TestOneSessionPerServer(t *testing.T) {
	s := newTestServer(t)
	r, _, _ := newRegistry(t, Server{Name: "crm", URL: s.url()})
	ctx := ctxT(t, 10*time.Second)
	sha := pinFrom(t, s.url(), "lookup")
	before := s.method("initialize")
	var wg sync.WaitGroup
	errs := make(chan error, 16)
	for range 16 {
		wg.Go(func() {
			_, err := r.Call(ctx, pinned("crm", "lookup", sha), []byte(`{"policy_number":"P-1"}`))
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		must(t, err)
	}
	if n := s.method("initialize") - before; n != 1 {
		t.Fatalf("%d sessions opened, want 1", n)
	}
	if n := s.lookups.Load(); n != 16 {
		t.Fatalf("lookup ran %d times, want 16", n)
	}
}

// TestClosedRegistry: after Close nothing connects.
func TestClosedRegistry(t *testing.T) {
	s := newTestServer(t)
	r, _, _ := newRegistry(t, Server{Name: "crm", URL: s.url()})
	ctx := ctxT(t, 10*time.Second)
	must(t, r.Connect(ctx, "crm"))
	must(t, r.Close())
	before := s.method("initialize")
	wantErr(t, r.Connect(ctx, "crm"), ErrUnavailable, "registry closed")
	if s.method("initialize") != before {
		t.Fatal("a closed registry connected")
	}
}
