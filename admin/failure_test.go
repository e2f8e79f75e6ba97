package admin_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/maso-runtime/maso/admin"
	"github.com/maso-runtime/maso/internal/etcdtest"
	"github.com/maso-runtime/maso/node"
	"github.com/maso-runtime/maso/registry"
	"github.com/maso-runtime/maso/supervisor"
	"github.com/maso-runtime/maso/workload/claims"
)

// failing is a real node whose phase changes fail with err.
type failing struct {
	*node.Node
	err error
}

func (f failing) SetPhase(context.Context, registry.Phase, string, string, supervisor.Actor) (registry.PhaseState, error) {
	return registry.PhaseState{}, f.err
}

func TestControlErrors(t *testing.T) {
	t.Parallel()
	n := startNode(t)
	tests := []struct {
		err    error
		status int
		want   string // the error message, or the required role of a 403
	}{
		{fmt.Errorf("%w: phase moved past epoch 3", registry.ErrConflict), 409, "registry: conflict: phase moved past epoch 3"},
		{fmt.Errorf("%w: read phase: no answer", registry.ErrUnavailable), 503,
			"phase change refused, etcd quorum unavailable: registry: etcd unavailable: read phase: no answer"},
		{node.ErrNoControlPlane, 503, "node: control plane not connected"},
		{&supervisor.AuthorityError{Required: supervisor.Security, Have: supervisor.Operator, What: "primary→alternate"}, 403, "security"},
		{fmt.Errorf("%w: only the runtime may", supervisor.ErrForbidden), 403, "operator"},
		{fmt.Errorf("%w: already in alternate", supervisor.ErrBadTransition), 400, "supervisor: transition not allowed: already in alternate"},
		{errors.New("disk on fire"), 500, "disk on fire"},
	}
	for _, tt := range tests {
		s := serve(t, failing{n, tt.err}, admin.RuntimeAuth(n), n.Token())
		res := s.post("/v1/phase", `{"to":"alternate","reason":"drill"}`)
		var body struct {
			Error        string `json:"error"`
			RequiredRole string `json:"required_role"`
		}
		res.json(t, &body)
		got := body.Error
		if res.status == http.StatusForbidden {
			got = body.RequiredRole
		}
		if res.status != tt.status || got != tt.want {
			t.Errorf("%v: %d %s; want %d %q", tt.err, res.status, res.body, tt.status, tt.want)
		}
	}
}

// TestEtcdDown: with the control plane gone, reads keep serving (the phase
// marked stale, tokens from the cache) and changes are refused with 503.
func TestEtcdDown(t *testing.T) {
	t.Parallel()
	cluster := etcdtest.NewCluster(t, 1)
	cfg, err := claims.DefaultConfig()
	if err != nil {
		t.Fatal(err)
	}
	w := claims.New()
	n, err := node.Start(context.Background(), node.Options{Config: cfg, DataDir: t.TempDir(),
		Behaviours: w.Behaviours(), Tools: w.Tools(), Logger: testLogger(t), Telemetry: nopWriter{},
		Etcd: node.EtcdOptions{Endpoints: cluster.Endpoints()}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		_ = n.Stop(ctx)
	})
	s := serve(t, n, admin.RuntimeAuth(n), n.Token())
	sec := s.as(admin.Security)
	cluster.Stop(0)

	var v node.PhaseView
	res := sec.get("/v1/phase")
	res.json(t, &v)
	if res.status != http.StatusOK || !v.Stale || v.Error == "" || v.Phase != supervisor.Primary {
		t.Fatalf("phase with etcd down: %d %s", res.status, res.body)
	}
	res = sec.post("/v1/phase", `{"to":"alternate","reason":"drift"}`)
	wantError(t, "phase change with etcd down", res, 503, "phase change refused, etcd quorum unavailable")
	if h := s.health(); h.Phase != "primary" {
		t.Fatalf("health with etcd down: %+v", h)
	}
}

type nopWriter struct{}

func (nopWriter) Write(p []byte) (int, error) { return len(p), nil }
