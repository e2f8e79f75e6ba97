// Package node starts a maso node: data directory, built-in CA, decision log,
// telemetry and the actor system with its orchestrator and agents.
//
// # Overview
//
// A data directory holds what must survive a restart:
//
//	<data-dir>/admin.token    bearer token with the highest role (mode 0600)
//	<data-dir>/ca/ca.key      built-in CA key (PKCS#8, mode 0600)
//	<data-dir>/ca/ca.crt      built-in CA certificate
//	<data-dir>/audit/         decision log segments (hash-chained)
//
// # Usage
//
//	n, err := node.Start(ctx, node.Options{Config: cfg, DataDir: "maso-data",
//		Behaviours: behaviours, Tools: tools})
//	if err != nil { ... }
//	defer n.Stop(ctx)
//	id, err := n.Submit(ctx, "intake", payload)
//
// The built-in "llm" behaviour is always registered.
package node
