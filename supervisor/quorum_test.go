package supervisor_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/maso-runtime/maso/actors"
	"github.com/maso-runtime/maso/internal/etcdtest"
	"github.com/maso-runtime/maso/node"
	"github.com/maso-runtime/maso/registry"
	"github.com/maso-runtime/maso/supervisor"
)

// TestFailureBehaviourWithRealCluster runs a node against a 3-member cluster
// of Debian's etcd. With one member down everything works. With quorum lost
// the node keeps serving reads but fails safe: phase changes are refused
// with a clear error, nothing is auto-approved, and the kill switch still
// stops the local node at once. When quorum returns, the kill switch is
// recorded and the approval made before the outage is still pending.
func TestFailureBehaviourWithRealCluster(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a 3-member etcd cluster")
	}
	cl := etcdtest.NewCluster(t, 3)
	e := startPACE(t, func(o *node.Options) { o.Etcd = node.EtcdOptions{Endpoints: cl.Endpoints()} })
	ctx := context.Background()

	cl.Stop(2) // one member down: everything works
	if _, err := e.n.SetPhase(ctx, supervisor.Alternate, "drill", "worker", security); err != nil {
		t.Fatalf("P→A with one member down: %v", err)
	}
	if _, err := e.n.SetPhase(ctx, supervisor.Primary, "drill over", "", security); err != nil {
		t.Fatalf("A→P with one member down: %v", err)
	}
	e.waitPhase(supervisor.Primary)
	if id, err := e.submit("flow", `{"claim":1}`); err != nil || e.wait(id).State != actors.TaskCompleted {
		t.Fatalf("task with one member down: %v", err)
	}
	action := json.RawMessage(`{"agent":"front","tool":"record","args":{"claim":7}}`)
	ap, err := e.n.Registry().CreateApproval(ctx, registry.Approval{Agent: "front", Tool: "record", Action: action,
		ArgsHash: registry.ActionHash(action), State: registry.ApprovalPending, CreatedAt: time.Now(), ExpiresAt: time.Now().Add(time.Hour)})
	if err != nil {
		t.Fatal(err)
	}

	cl.Stop(1) // quorum lost
	if v := e.n.Phase(ctx); v.Phase != supervisor.Primary || !v.Stale {
		t.Fatalf("phase read without quorum: %+v, want the last known phase marked stale", v)
	}
	start := time.Now()
	_, err = e.n.SetPhase(ctx, supervisor.Alternate, "x", "worker", security)
	if !errors.Is(err, registry.ErrUnavailable) || !strings.Contains(err.Error(), "refused") {
		t.Fatalf("phase change without quorum: %v, want ErrUnavailable saying it was refused", err)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Fatalf("phase change took %s to fail", d)
	}
	waitFor(t, "the node to fail safe", func() bool { return e.n.Sys.Restrictions().Degraded })
	id, err := e.submit("flow", `{"claim":2}`)
	if err != nil {
		t.Fatal(err)
	}
	if v := e.wait(id); v.State != actors.TaskBlocked || !strings.Contains(v.Error, "fail closed") {
		t.Fatalf("write without quorum: %s %s, want it denied (nothing auto-approved)", v.State, v.Error)
	}
	res, err := e.n.KillSwitch(ctx, "drill without quorum", ciso)
	if err != nil || res.StoppedAgents != 2 || res.Recorded || res.Warning == "" {
		t.Fatalf("kill switch without quorum: %+v %v, want the local node stopped with a warning", res, err)
	}
	for _, a := range e.n.Agents() {
		if a.State != string(actors.StateStopped) {
			t.Fatalf("agent %s is %s after the kill switch", a.Name, a.State)
		}
	}

	cl.Start(1) // quorum returns: the node reconciles
	cl.Start(2)
	cl.WaitHealthy()
	waitFor(t, "the kill switch to be recorded", func() bool {
		ps, err := e.n.Registry().Phase(ctx)
		return err == nil && ps.Phase == supervisor.Emergency
	})
	got, err := e.n.Registry().Approval(ctx, ap.ID)
	if err != nil || got.State != registry.ApprovalPending {
		t.Fatalf("approval after the outage: %+v %v", got, err)
	}
	if d, err := e.n.Decide(ctx, ap.ID, false, "stale", operator); err != nil || d.State != registry.ApprovalDenied {
		t.Fatalf("decide after the outage: %+v %v", d, err)
	}
}
