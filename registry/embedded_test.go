package registry_test

import (
	"context"
	"encoding/json"
	"errors"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/maso-runtime/maso/internal/etcdtest"
	"github.com/maso-runtime/maso/registry"
)

func startEmbedded(t *testing.T, dir string) *registry.Embedded {
	t.Helper()
	e, err := registry.StartEmbedded(ctxT(t, 40*time.Second), dir, etcdtest.Logger(t))
	if err != nil {
		t.Fatalf("StartEmbedded: %v", err)
	}
	t.Cleanup(func() { _ = e.Close() })
	return e
}

type savedPorts struct{ Client, Peer int }

func readSavedPorts(t *testing.T, dir string) savedPorts {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, "ports.json"))
	must(t, err)
	var p savedPorts
	must(t, json.Unmarshal(data, &p))
	return p
}

// TestEmbeddedRestartKeepsData: same dir, same data; the ports are saved
// and reused.
func TestEmbeddedRestartKeepsData(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	e := startEmbedded(t, dir)
	first := e.Endpoints()
	r := connect(t, first)
	must(t, r.PutSetting(ctxT(t, 5*time.Second), "drift_threshold_factor", 0.5))
	must(t, r.Close())
	must(t, e.Close())
	must(t, e.Close()) // idempotent

	e2 := startEmbedded(t, dir)
	if got := e2.Endpoints(); got[0] != first[0] {
		t.Errorf("endpoint after restart = %s, want the saved %s", got[0], first[0])
	}
	r2 := connect(t, e2.Endpoints())
	var f float64
	ok, err := r2.Setting(ctxT(t, 5*time.Second), "drift_threshold_factor", &f)
	if err != nil || !ok || f != 0.5 {
		t.Fatalf("setting after restart = %v, %v, %v; want 0.5, true, nil", f, ok, err)
	}
}

// TestEmbeddedPortsTaken: when the saved ports are taken, the member
// moves to new ones, keeps its data and its member list follows.
func TestEmbeddedPortsTaken(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	e := startEmbedded(t, dir)
	r := connect(t, e.Endpoints())
	must(t, r.PutSetting(ctxT(t, 5*time.Second), "x", "kept"))
	must(t, r.Close())
	must(t, e.Close())

	old := readSavedPorts(t, dir)
	for _, p := range []int{old.Client, old.Peer} {
		l, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(p)))
		if err != nil {
			t.Skipf("cannot hold port %d for the test: %v", p, err)
		}
		t.Cleanup(func() { l.Close() })
	}
	e2 := startEmbedded(t, dir)
	now := readSavedPorts(t, dir)
	if now.Client == old.Client || now.Peer == old.Peer {
		t.Fatalf("ports %+v, want both different from the taken %+v", now, old)
	}
	r2 := connect(t, e2.Endpoints())
	var s string
	if ok, err := r2.Setting(ctxT(t, 5*time.Second), "x", &s); err != nil || !ok || s != "kept" {
		t.Fatalf("setting after port change = %q, %v, %v", s, ok, err)
	}
	ml, err := r2.Client().MemberList(ctxT(t, 5*time.Second))
	must(t, err)
	if len(ml.Members) != 1 || ml.Members[0].PeerURLs[0] != "http://127.0.0.1:"+strconv.Itoa(now.Peer) {
		t.Fatalf("member list %v, want one member with peer port %d", ml.Members, now.Peer)
	}
}

// TestConnectNoEndpoint: a clear error naming the endpoint, within the
// dial timeout.
func TestConnectNoEndpoint(t *testing.T) {
	t.Parallel()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	must(t, err)
	ep := "http://" + l.Addr().String()
	l.Close() // nothing listens there now
	start := time.Now()
	_, err = registry.Connect(context.Background(), registry.Config{
		Endpoints: []string{ep}, DialTimeout: time.Second, Logger: etcdtest.Logger(t),
	})
	if !errors.Is(err, registry.ErrUnavailable) || !strings.Contains(err.Error(), ep) {
		t.Fatalf("Connect error = %v; want ErrUnavailable naming %s", err, ep)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Fatalf("Connect took %s with a 1s dial timeout", d)
	}
}
