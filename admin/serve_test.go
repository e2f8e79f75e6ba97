package admin_test

import (
	"context"
	"errors"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/maso-runtime/maso/admin"
	"github.com/maso-runtime/maso/node"
)

// panicky is a node whose health check panics.
type panicky struct{ *node.Node }

func (panicky) Health() node.Health { panic("health exploded") }

func TestPanicIsLogged500(t *testing.T) {
	t.Parallel()
	n := startNode(t)
	s := serve(t, panicky{n}, admin.StaticToken(n.Token(), admin.Viewer), n.Token())
	res := s.get("/v1/health")
	if res.status != http.StatusInternalServerError || res.errorMessage(t) != "internal error" {
		t.Fatalf("panicking handler: %d %s", res.status, res.body)
	}
	if res := s.get("/v1/agents"); res.status != http.StatusOK {
		t.Fatalf("after a panic: %d %s", res.status, res.body)
	}
}

func TestServe(t *testing.T) {
	t.Parallel()
	n := startNode(t)
	h := admin.NewHandler(admin.Config{Runtime: n, Auth: admin.StaticToken(n.Token(), admin.CISO), Logger: testLogger(t)})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	addrc := make(chan net.Addr, 1)
	errc := make(chan error, 1)
	go func() { errc <- admin.Serve(ctx, "127.0.0.1:0", h, func(a net.Addr) { addrc <- a }) }()
	var addr net.Addr
	select {
	case addr = <-addrc:
	case err := <-errc:
		t.Fatalf("Serve: %v", err)
	}
	s := &server{t: t, url: "http://" + addr.String(), token: n.Token()}
	if res := s.get("/v1/health"); res.status != http.StatusOK {
		t.Fatalf("health: %d %s", res.status, res.body)
	}

	// A second server on the same address cannot listen.
	err := admin.Serve(ctx, addr.String(), h, nil)
	var opErr *net.OpError
	if !errors.As(err, &opErr) {
		t.Errorf("Serve on a busy address: %v, want a listen error", err)
	}

	cancel()
	select {
	case err := <-errc:
		if err != nil {
			t.Fatalf("Serve after cancel: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Serve did not return after its context ended")
	}
	if _, err := http.Get(s.url + "/v1/health"); err == nil {
		t.Error("server still answers after shutdown")
	}
}
