package node_test

import (
	"context"
	"io"
	"log/slog"
	"math"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/maso-runtime/maso/actors"
	"github.com/maso-runtime/maso/audit"
	"github.com/maso-runtime/maso/config"
	"github.com/maso-runtime/maso/internal/etcdtest"
	"github.com/maso-runtime/maso/node"
	"github.com/maso-runtime/maso/supervisor"
	"github.com/maso-runtime/maso/workload/claims"
)

// TestRevocationRefusedClusterWide: node A revokes one of its agents'
// certificates (POST /v1/agents/{name}/revoke); node B, sharing the etcd
// cluster, refuses that certificate in its receiver pipeline within one
// second, from its watched revocation set. The measured delay is logged
// (BENCHMARKS.md records it).
func TestRevocationRefusedClusterWide(t *testing.T) {
	endpoints := etcdtest.Embedded(t)
	quiet := slog.New(slog.DiscardHandler)
	cfgA, _ := claims.DefaultConfig()
	cfgA.Node = "node-a"
	w := claims.New()
	a, err := node.Start(context.Background(), node.Options{Config: cfgA, DataDir: t.TempDir(), Behaviours: w.Behaviours(),
		Tools: w.Tools(), Telemetry: io.Discard, Logger: quiet, Etcd: node.EtcdOptions{Endpoints: endpoints}})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Stop(context.Background())
	cfgB, err := config.Parse("b.yaml", []byte(`
trust_domain: claims.maso.local
node: node-b
agents:
  - {name: reviewer, behaviour: noop, clearance: restricted}
workflows:
  - {name: review, entry: reviewer, agents: [reviewer]}
`))
	if err != nil {
		t.Fatal(err)
	}
	noop := func(actors.AgentSpec) (actors.Behaviour, error) {
		return actors.BehaviourFunc(func(actors.Context, actors.Message) error { return nil }), nil
	}
	b, err := node.Start(context.Background(), node.Options{Config: cfgB, DataDir: t.TempDir(), Telemetry: io.Discard, Logger: quiet,
		Behaviours: map[string]actors.BehaviourFactory{"noop": noop}, Etcd: node.EtcdOptions{Endpoints: endpoints}})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Stop(context.Background())

	cred, _ := a.Sys.Credential("intake")
	verdict := func() string {
		now := time.Now()
		h := actors.Header{ID: uuid.New(), From: "intake", To: "reviewer", Kind: actors.KindData,
			Classification: actors.Internal, Confidence: math.NaN(), IssuedAt: now.UnixNano(), ExpiresAt: now.Add(time.Minute).UnixNano()}
		_, _, ok := b.Sys.Pipeline().Receive(context.Background(), "reviewer", actors.Seal(cred, &h, []byte(`{}`)), nil)
		if ok {
			return "delivered"
		}
		return "refused"
	}
	// Before the revocation node B trusts node A's CA (published in etcd) and
	// refuses the message only for the graph (intake is not its agent's peer).
	if got := lastReason(t, b, func() { verdict() }); strings.Contains(got, "revoked") {
		t.Fatalf("refused as revoked before the revocation: %s", got)
	}
	start := time.Now()
	if err := a.Revoke(context.Background(), "intake", "drill", supervisor.Actor{Name: "sec", Role: supervisor.Security}); err != nil {
		t.Fatal(err)
	}
	var delay time.Duration
	for {
		if reason := lastReason(t, b, func() { verdict() }); strings.Contains(reason, "revoked") {
			delay = time.Since(start)
			break
		}
		if time.Since(start) > time.Second {
			t.Fatalf("node B still accepts the revoked certificate after %s", time.Since(start))
		}
		time.Sleep(2 * time.Millisecond)
	}
	t.Logf("revocation on node A refused by node B after %s", delay)
	if st, _ := a.Agent("intake"); st.State != "stopped" {
		t.Fatalf("revoked agent is %s", st.State)
	}
}

// lastReason runs f and returns the reason of the newest rejection in b's
// decision log.
func lastReason(t *testing.T, b *node.Node, f func()) string {
	t.Helper()
	f()
	var reason string
	err := audit.Read(filepath.Join(b.DataDir(), "audit"), func(e audit.Entry) error {
		if e.Event.Type == "message.rejected" {
			reason = e.Event.Reason
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return reason
}
