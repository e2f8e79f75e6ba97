// Package cli is masoctl, the command-line client of the admin API of a
// masod node. cmd/masoctl's main only calls [Run].
//
// # Overview
//
// Commands:
//
//	masoctl health
//	masoctl agents [list]                 NAME ROLE STATE SPIFFE-ID SERIAL NOT-AFTER
//	masoctl agents get NAME
//	masoctl task submit --to AGENT [--payload JSON | --file F | -] [--wait] [--wait-timeout 60s]
//	masoctl task get ID
//	masoctl task watch ID [--wait-timeout 60s]
//	masoctl audit verify [--dir DIR]
//	masoctl demo load --rate N --duration D [--to intake] [--seed S] [--concurrency C]
//	masoctl help [COMMAND...]
//
// Global flags may come before or after the command (and its
// arguments): --addr (else $MASO_ADDR, else http://127.0.0.1:7480;
// host:port is enough), --token-file (else $MASO_TOKEN holds the token
// itself, else ./maso-data/admin.token when it exists), --json (print the
// API's JSON instead of text) and --timeout (per request, default 10s).
// Every command takes -h.
//
// "task submit" prints the new task's id. With --wait it polls the task
// until it reaches a final state and prints the state, the trail (one
// line per entry: time, from → to, kind/payload type, verdict, controls,
// reason) and the result, with multi-line strings such as the claim
// letter printed verbatim; "task watch" does the same for an existing
// task.
//
// "audit verify" prints "ok: N entries, head <hex>" or "FAILED: <error>"
// naming the segment, line and seq of the first damaged entry. With --dir
// it reads the log directory itself ([audit.Verify]) and needs no node.
//
// "demo load" submits synthetic claims ([claims.Synthetic]) at --rate per
// second for --duration, never more than rate × duration, with at most
// --concurrency requests in flight; then it waits up to 30s for the
// accepted tasks and prints how many were submitted, accepted, rejected
// (by HTTP status), completed, failed, blocked and unfinished, and the
// p50 and p99 latency from acceptance to final state as the node timed
// them.
//
// Exit codes: 0 success; 1 failure (an API error, which is printed with
// its HTTP status; an unreachable node; a task that did not complete; a
// log that does not verify; a load run in which not every claim was
// accepted and completed); 2 usage error.
//
// # Usage
//
//	func main() {
//		os.Exit(cli.Run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr, os.Getenv))
//	}
//
// From a shell, next to a running masod:
//
//	masoctl agents
//	masoctl task submit --to intake --file claim.json --wait
//	masoctl audit verify --dir maso-data/audit
package cli
