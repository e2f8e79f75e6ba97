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
//	masoctl agents isolate|resume|revoke NAME [--reason R]
//	masoctl task submit --to AGENT [--payload JSON | --file F | -] [--wait] [--wait-timeout 60s]
//	masoctl task get ID
//	masoctl task watch ID [--wait-timeout 60s]
//	masoctl phase [show]                  the phase and its history: EPOCH PHASE SINCE WHO ROLE AGENT REASON
//	masoctl phase set TO --reason R [--agent A]
//	masoctl kill --reason R
//	masoctl recover --root-cause X --remediation Y --baselines-updated --approver Z
//	masoctl approvals [list] [--state pending|approved|denied|expired|all]
//	masoctl approvals approve|deny ID [--reason R]
//	masoctl token create --role R [--name N]
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
// The PACE commands follow the Tier 2 guidance; the node checks each
// role. "phase set" takes primary, alternate, contingency or emergency
// (or P, A, C, E) and a reason; --agent names the anomalous agent of
// Alternate. Leaving emergency goes only through "recover", with every
// field of the post-incident review (a missing one is a usage error).
// "kill" (ciso) prints "emergency: N agents stopped in T ms" once every
// agent of the node is stopped; if the node could not record the
// emergency for the cluster it also prints a warning and exits 1. In
// Alternate every write waits for a human: "approvals" lists the requests
// (ID STATE AGENT TOOL TASK EXPIRES DECIDED-BY) and "approvals approve"
// or "approvals deny" decides one. "agents isolate" needs operator,
// "agents resume" and "agents revoke" need security; each prints the
// agent's new state. "token create" (ciso) prints only the new token, so
// that TOKEN=$(masoctl token create --role viewer) works; it is shown
// once and stored only hashed.
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
// its HTTP status and, for 403, the role required; an unreachable node; a
// task that did not complete; a log that does not verify; a load run in
// which not every claim was accepted and completed; a kill switch not yet
// recorded for the cluster); 2 usage error.
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
//	MASO_TOKEN=$(masoctl token create --role security --name alice) \
//		masoctl phase set alternate --reason "drift on analysis" --agent analysis
//	masoctl approvals --state pending
//	masoctl kill --reason "confirmed exfiltration"
package cli
