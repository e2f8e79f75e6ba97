// Package etcdtest starts etcd for tests.
//
// # Overview
//
// Two harnesses share one shape: start, get endpoints, let t.Cleanup
// stop everything.
//
//   - Embedded runs a single-member etcd inside the test process
//     (registry.StartEmbedded) in t.TempDir(). It is quick and needs
//     nothing installed.
//   - NewCluster runs a real multi-member cluster of Debian's etcd binary
//     (/usr/bin/etcd from the etcd-server package) on 127.0.0.1 with
//     OS-picked ports, one data directory per member. Members can be
//     stopped and restarted with their data and ports, which is how the
//     registry's quorum-loss and restart behaviour is tested.
//
// Member processes run in their own process group and are killed with it
// at cleanup (and, on Linux, when the test binary dies). Each member's
// output goes to a file in its temporary directory; the tail of every
// file is printed when the test failed.
//
// # Usage
//
//	c := etcdtest.NewCluster(t, 3)
//	reg, err := registry.Connect(ctx, registry.Config{Endpoints: c.Endpoints()})
//	...
//	c.Stop(1)
//	c.Stop(2) // quorum lost
//	...
//	c.Start(1) // quorum back
//	c.WaitHealthy()
package etcdtest
