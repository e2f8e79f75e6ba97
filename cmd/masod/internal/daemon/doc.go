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
// The admin API authenticates with the node's token, which the node keeps
// in <data-dir>/admin.token (mode 0600) and which has the CISO role. Run
// logs where that file is, never the token.
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
