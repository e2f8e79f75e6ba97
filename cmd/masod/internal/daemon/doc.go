// Package daemon is the wiring of masod: flags, configuration, the node
// and the admin API server, with a graceful stop.
//
// # Overview
//
// [Run] parses the flags, loads the configuration (the bundled claims
// workload unless --config names a file), starts a node in the data
// directory and serves the admin API on --admin-addr until its context
// ends; then it stops the admin server first and the node second. The
// claims workload's behaviours and tools are always registered, so a
// custom configuration may use them.
//
// The admin API authenticates against the node's token store
// ([admin.RuntimeAuth]): tokens are kept hashed in etcd and watched into
// memory. The bootstrap token is in <data-dir>/admin.token (mode 0600);
// the node stores it with the ciso role on first start. More tokens, of
// any role, are made with POST /v1/tokens ("masoctl token create"). Run
// logs where the file is, never a token.
//
// Exit codes: 0 after a clean stop; 1 when the node or the server fails;
// 2 for bad flags or a bad configuration file, whose error names the
// file, line and field (file:line: field: message).
//
// # Usage
//
//	masod [--config FILE] [--data-dir DIR] [--admin-addr HOST:PORT]
//	      [--log-level debug|info|warn|error] [--remote-listen HOST:PORT]
//	masod --version
//
// cmd/masod's main only installs the SIGINT/SIGTERM handler and calls
//
//	os.Exit(daemon.Run(ctx, os.Args[1:], daemon.IO{Stdout: os.Stdout, Stderr: os.Stderr}, version))
package daemon
