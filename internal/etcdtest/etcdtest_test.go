package etcdtest

import (
	"context"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"
	"go.uber.org/zap"
)

func client(t *testing.T, eps []string) *clientv3.Client {
	t.Helper()
	cli, err := clientv3.New(clientv3.Config{Endpoints: eps, DialTimeout: 5 * time.Second, Logger: zap.NewNop()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cli.Close() })
	return cli
}

func TestEmbedded(t *testing.T) {
	t.Parallel()
	eps := Embedded(t)
	if len(eps) != 1 || !strings.HasPrefix(eps[0], "http://127.0.0.1:") {
		t.Fatalf("endpoints = %q, want one loopback URL", eps)
	}
	cli := client(t, eps)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if _, err := cli.Put(ctx, "k", "v"); err != nil {
		t.Fatal(err)
	}
}

// TestClusterStopStart checks the harness itself: a 3-member cluster
// keeps serving with one member down, loses quorum with two down, and a
// restarted member keeps its data and ports.
func TestClusterStopStart(t *testing.T) {
	t.Parallel()
	c := NewCluster(t, 3)
	eps := c.Endpoints()
	if len(eps) != 3 {
		t.Fatalf("endpoints = %q", eps)
	}
	cli := client(t, eps)
	put := func(key string, timeout time.Duration) error {
		ctx, cancel := context.WithTimeout(context.Background(), timeout)
		defer cancel()
		_, err := cli.Put(ctx, key, "v")
		return err
	}
	if err := put("a", 5*time.Second); err != nil {
		t.Fatal(err)
	}
	c.Stop(0)
	if err := put("b", 5*time.Second); err != nil {
		t.Fatalf("put with one of three down: %v", err)
	}
	c.Stop(1)
	if err := put("c", 2*time.Second); err == nil {
		t.Fatal("put succeeded with two of three members down")
	}
	c.Start(0)
	c.Start(1)
	c.WaitHealthy()
	// Member 0 missed "b" while down; read it through member 0 alone.
	one := client(t, eps[:1])
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	resp, err := one.Get(ctx, "b")
	if err != nil || len(resp.Kvs) != 1 {
		t.Fatalf("get b via restarted member: %v, %v", resp, err)
	}
}

// TestClusterKilledAtCleanup checks that no member process outlives the
// test.
func TestClusterKilledAtCleanup(t *testing.T) {
	t.Parallel()
	var pids []int
	t.Run("cluster", func(t *testing.T) {
		c := NewCluster(t, 1)
		for _, m := range c.members {
			pids = append(pids, m.cmd.Process.Pid)
		}
	})
	for _, pid := range pids {
		p, err := os.FindProcess(pid)
		if err != nil {
			continue
		}
		if err := p.Signal(syscall.Signal(0)); err == nil {
			t.Errorf("etcd pid %d still running after cleanup", pid)
		}
	}
}
