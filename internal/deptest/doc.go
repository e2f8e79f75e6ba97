// Package deptest guards the dependency set of the maso binaries.
//
// # Overview
//
// protoactor-go's single go.mod names Kubernetes, Consul, ZooKeeper and
// Couchbase client libraries for its cluster providers and persistence
// plugins. The module graph therefore lists them, but nothing in masod may
// link them: the test in this package lists masod's linked packages with
// `go list -deps` and fails if any banned package appears.
package deptest
