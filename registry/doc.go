// Package registry keeps the runtime's shared state in etcd: which nodes
// and agents are alive, the PACE phase and its history, human approvals,
// admin API tokens, certificate revocations, the trust bundle and a few
// runtime settings.
//
// # Overview
//
// A Registry wraps an etcd v3 client. Every operation runs under
// Config.OpTimeout; when etcd cannot confirm it within that time (the
// cluster lost quorum, no member answers) the error wraps ErrUnavailable
// and names what was refused. Reads are linearizable, so they fail the
// same way rather than return stale data.
//
// State changes that must not be lost or doubled are compare-and-swap
// transactions:
//
//   - CASPhase moves the PACE phase one epoch forward only if nobody else
//     moved it first (ErrConflict otherwise) and appends the history
//     record in the same transaction.
//   - CreateApproval is create-only; Decide moves pending to approved or
//     denied exactly once (ErrAlreadyDecided for the loser). A pending
//     approval past its ExpiresAt reads as expired and can no longer be
//     decided (EC-1.1 fails closed).
//
// Nodes hold a lease (RegisterNode). Their node record and their agents
// live under it, so a node that dies disappears with its agents after
// the TTL. The session replaces a lost lease by itself and revokes the
// old one.
//
// Hot-path state is mirrored into memory by watches: WatchRevocations
// feeds an identity.RevocationSet, WatchTrustBundle an
// identity.MemoryBundle, WatchTokens a TokenCache, and WatchPhase a
// callback. Each watch is one goroutine that resumes from the last seen
// revision after errors (capped exponential backoff), reloads in full
// after a compaction, and ends with its ctx. While etcd is unreachable
// the in-memory copies keep serving what they last saw.
//
// # Usage
//
//	reg, err := registry.Connect(ctx, registry.Config{Endpoints: []string{"http://127.0.0.1:2379"}})
//	if err != nil { ... }
//	defer reg.Close()
//
//	revoked := identity.NewMemoryRevocations()
//	if err := reg.WatchRevocations(ctx, revoked); err != nil { ... }
//
//	cur, err := reg.Phase(ctx)
//	next := registry.PhaseState{Phase: registry.PhaseAlternate, Epoch: cur.Epoch + 1, Agent: "intake", Auto: true}
//	switch err := reg.CASPhase(ctx, cur, next); {
//	case errors.Is(err, registry.ErrConflict): // someone else moved first: re-read
//	case errors.Is(err, registry.ErrUnavailable): // refused: no quorum
//	}
//
// For a single node without an etcd cluster, StartEmbedded runs etcd in
// process (data in a directory, loopback only). Production runs etcd out
// of process. In a process that also runs a protoactor remote, start the
// remote before StartEmbedded: the remote replaces gRPC's global logger,
// which races with a running etcd.
//
// # Key layout
//
// Every key is below Config.Prefix (default "/maso/"):
//
//	nodes/<node>                         NodeRecord JSON, under the node's lease
//	agents/<name>                        AgentRecord JSON, under the owning node's lease
//	phase                                current PhaseState JSON (absent: primary, epoch 0)
//	phase/history/<epoch %020d>          PhaseState JSON, one per transition, never rewritten
//	reviews/<epoch %020d>                Review JSON, post-incident review, create-only
//	approvals/<id>                       Approval JSON; id is a UUIDv7 unless given
//	tokens/<sha256 hex of token>         TokenRecord JSON; the token itself is never stored
//	revocations/<serial>                 Revocation JSON; serial in identity.SerialString form
//	trust/<sha256 hex of cert DER>       PEM CA certificate
//	settings/<name>                      JSON value, e.g. drift_threshold_factor
//
// Epochs are zero-padded so that key order is epoch order.
//
// # Failure behaviour
//
// ErrUnavailable means the change was not confirmed. CASPhase and Decide
// read linearizably before they write, so without quorum they fail
// before sending a write. A create or put sent just as quorum was lost
// may still be applied once quorum returns (etcd cannot tell); callers
// that care re-read.
//
// # Controls
//
//   - EC-1.1: approvals bound to the exact action (ArgsHash =
//     ActionHash(Action)), decided once, expiring closed.
//   - IA-2.3, IA-T2.4, IA-3.4: trust bundle and revocations shared by all
//     nodes and applied from watches.
//   - PACE (Tier 2): one phase for the whole cluster, moved by
//     compare-and-swap, with an append-only history and post-incident
//     reviews for Emergency → Primary.
package registry
