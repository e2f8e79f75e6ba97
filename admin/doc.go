// Package admin is the node's admin HTTP API: health, agents, tasks,
// decision-log verification and the PACE controls (phase, kill switch,
// recovery, approvals, per-agent actions, tokens), as JSON over HTTP with
// bearer-token roles.
//
// # Overview
//
// [NewHandler] serves these routes (Go 1.22 ServeMux patterns), each with
// the least [Role] it needs:
//
//	GET  /v1/health                 viewer    node status (node.Health), with the real PACE phase
//	GET  /v1/agents                 viewer    {"agents": [node.AgentInfo, ...]}
//	GET  /v1/agents/{name}          viewer    one node.AgentInfo
//	POST /v1/agents/{name}/isolate  operator  {"reason"} -> the agent, isolated (off the bus, tools suspended)
//	POST /v1/agents/{name}/resume   security  {"reason"} -> the agent, active again
//	POST /v1/agents/{name}/revoke   security  {"reason"} -> the agent, stopped; its serial revoked cluster-wide
//	POST /v1/tasks                  operator  {"to": "...", "payload": {...}} -> 202 {"task_id": "..."}
//	GET  /v1/tasks/{id}             viewer    actors.TaskView: state and trail
//	GET  /v1/audit/verify           viewer    audit.Report: {"ok": true, "entries": N, "head": "<hex>"}
//	GET  /v1/phase                  viewer    node.PhaseView: the phase, who set it and why, its history
//	POST /v1/phase                  operator  {"to", "reason", "agent"?} -> the new registry.PhaseState
//	POST /v1/killswitch             ciso      {"reason"} -> supervisor.KillResult, once every agent is stopped
//	POST /v1/recover                ciso      {"review": {...}} -> registry.PhaseState (primary)
//	GET  /v1/approvals?state=S      viewer    {"approvals": [registry.Approval, ...]}
//	POST /v1/approvals/{id}         operator  {"decision": "approve"|"deny", "reason"} -> registry.Approval
//	POST /v1/tokens                 ciso      {"role", "name"} -> 201 {"token", "role", "name"}
//
// Every request needs an "Authorization: Bearer <token>" header that the
// configured [Authenticator] maps to a role: [RuntimeAuth] asks the
// node's token store (hashed in etcd, watched into memory; the bootstrap
// token in <data-dir>/admin.token has the ciso role), [StaticToken] knows
// one token. [Role] is supervisor.Role: the API, the PACE controller and
// the token store share one vocabulary. A missing or unknown token gets
// 401 with "WWW-Authenticate: Bearer"; a role below the route's gets 403
// with the role it needs:
//
//	{"error": "role viewer may not POST /v1/tasks", "required_role": "operator"}
//
// Each handler acts as supervisor.Actor{Name: "token:<role>", Role: role};
// that name is what phase records, approvals and the decision log show.
//
// Every response, errors included, is JSON with Content-Type
// application/json and Cache-Control no-store; an error is
// {"error": "..."}. An unknown path gets 404 and a known path with the
// wrong method 405 with an Allow header. A handler that panics answers
// 500; the panic is logged. Each request is logged (method, path, status,
// duration, role), never its token.
//
// Every POST body is decoded strictly: unknown fields (named, with the
// allowed ones), malformed JSON (named with its byte offset), a wrong
// field type and an empty body are 400; a body over Config.MaxBodyBytes
// is 413; a Content-Type other than application/json is 415. POST
// /v1/tasks also needs "to" and an object "payload"; a payload over the
// bus limit is 413. The accepted task is at the Location the 202 names.
//
// # PACE
//
// The phase follows the Tier 2 guidance. POST /v1/phase accepts
// "primary", "alternate", "contingency" or "emergency" (or P, A, C, E)
// and needs a reason; "agent" names the anomalous agent of Alternate. The
// route needs operator; the transition's own authority is the
// supervisor's to check: a manual P→A and A→C need security, entering
// Emergency needs ciso. Leaving Emergency goes only through POST
// /v1/recover (ciso) with a post-incident review: root_cause,
// remediation, baselines_updated (true) and approver; missing fields are
// named in a 400.
//
// POST /v1/killswitch (ciso) stops every agent of this node before
// anything that needs etcd, then records Emergency for the cluster; the
// answer {"phase": "emergency", "stopped_agents": N, "elapsed_ms": T,
// "recorded": true} comes only after every agent is stopped. "recorded"
// false with a "warning" means this node is stopped but etcd could not
// record the change yet. While the node refuses work, POST /v1/tasks is
// 409 with the phase:
//
//	{"error": "actors: suspended by PACE phase: ...", "phase": "emergency"}
//
// In Alternate every write waits for a human: GET /v1/approvals lists the
// requests (?state=pending|approved|denied|expired|all, all by default;
// a pending one past its expiry reads as expired) and POST
// /v1/approvals/{id} decides one. Deciding twice is 409, as is deciding
// an expired approval (it counts as denied); an unknown id is 404.
//
// A change, once its request is accepted, is carried through even if the
// client goes away (the handlers detach from the request's cancellation;
// etcd operations are bounded by the registry's own timeout). POST
// /v1/tokens answers once the new token authenticates on this node (the
// token store follows etcd by a watch), or after [TokenVisibleTimeout].
//
// Errors of the control plane map to statuses: a supervisor.AuthorityError
// to 403 naming its role (other refusals for authority to 403 naming the
// route's); a bad transition, a missing review or a bad argument to 400;
// an unknown approval or agent to 404; a lost compare-and-swap
// (registry.ErrConflict) to 409; no etcd quorum (registry.ErrUnavailable)
// to 503, saying the change was refused. GET /v1/phase answers 200 while
// etcd is down: the last phase this node saw, with "stale": true.
//
// GET /v1/audit/verify answers 200 whether the log verifies or not; when
// it does not, the report adds "error", "segment", "line" and "seq" naming
// the first damaged entry (OB-1.1, OB-2.1). Only an I/O failure is 500.
//
// # Usage
//
//	n, err := node.Start(ctx, opts)
//	if err != nil {
//		return err
//	}
//	h := admin.NewHandler(admin.Config{
//		Runtime: n,
//		Auth:    admin.RuntimeAuth(n),
//		Logger:  logger,
//	})
//	err = admin.Serve(ctx, "127.0.0.1:7480", h, func(a net.Addr) {
//		logger.Info("admin API listening", "addr", a.String())
//	})
//
// [Serve] returns once ctx ends and the server has shut down gracefully.
package admin
