// Package config loads and validates the MASO system configuration: the
// node settings, the tool catalogue, the agents with their tool
// allow-lists and communication graph, and the workflows tasks enter by.
//
// # Overview
//
// A bad configuration must stop the node at start with a message that
// points at the offending value, so every problem is an [*Error] carrying
// the file, the line and the field path:
//
//	claims.yaml:12: agents[1].tools[0]: unknown tool "foo"
//
// [Parse] first parses the YAML into a node tree and walks it against the
// Go types, rejecting unknown keys, duplicate keys and values of the wrong
// type, while recording the line of every value. It then decodes strictly
// (unknown fields are errors), applies defaults and runs [Config.Validate],
// whose semantic errors reuse the recorded lines. When several problems
// exist, all of them are returned together as [Errors], sorted by line.
//
// Validation enforces, among others: name syntax and uniqueness; reserved
// runtime names such as "orchestrator", which holds no tools (IA-2.5); tool
// allow-lists naming known tools (EC-1.2); talks_to edges to known agents
// with valid message kinds (PG-1.4); data clearances (DP-1.1); API keys
// referenced by environment variable name only (IA-2.6).
//
// After validation, [Config.Allowed] answers communication-graph queries
// in O(1) without allocating, and [Config.CertTTL] derives certificate
// lifetimes from tool effects (IA-2.2).
//
// # Usage
//
//	cfg, err := config.Load("maso.yaml")
//	if err != nil {
//		log.Fatal(err) // one "file:line: field: message" per problem
//	}
//	if !cfg.Allowed("researcher", "writer", "claim") {
//		// reject the message
//	}
//	ttl := cfg.CertTTL(agent)
package config
