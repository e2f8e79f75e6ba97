// Package admin is the node's admin HTTP API: health, agents, tasks and
// decision-log verification, as JSON over HTTP with bearer-token roles.
//
// # Overview
//
// [NewHandler] serves these routes (Go 1.22 ServeMux patterns), each with
// the least [Role] it needs:
//
//	GET  /v1/health          viewer    node status (node.Health)
//	GET  /v1/agents          viewer    {"agents": [node.AgentInfo, ...]}
//	GET  /v1/agents/{name}   viewer    one node.AgentInfo
//	POST /v1/tasks           operator  {"to": "...", "payload": {...}} -> 202 {"task_id": "..."}
//	GET  /v1/tasks/{id}      viewer    actors.TaskView: state and trail
//	GET  /v1/audit/verify    viewer    audit.Report: {"ok": true, "entries": N, "head": "<hex>"}
//
// Every request needs an "Authorization: Bearer <token>" header that the
// configured [Authenticator] maps to a role. A missing or unknown token
// gets 401 with "WWW-Authenticate: Bearer"; a role below the route's gets
// 403 with the role it needs:
//
//	{"error": "role viewer may not POST /v1/tasks", "required_role": "operator"}
//
// Every response, errors included, is JSON with Content-Type
// application/json; an error is {"error": "..."}. An unknown path gets
// 404 and a known path with the wrong method 405 with an Allow header.
// A handler that panics answers 500; the panic is logged. Each request is
// logged (method, path, status, duration, role), never its token.
//
// POST /v1/tasks decodes strictly: unknown fields, a missing "to", a
// missing, null or non-object "payload" and malformed JSON (named with
// its byte offset) are 400; a body over Config.MaxBodyBytes or a payload
// over the bus limit is 413; a Content-Type other than application/json
// is 415. The accepted task is at the Location the 202 names.
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
//		Auth:    admin.StaticToken(n.Token(), admin.CISO),
//		Logger:  logger,
//	})
//	err = admin.Serve(ctx, "127.0.0.1:7480", h, func(a net.Addr) {
//		logger.Info("admin API listening", "addr", a.String())
//	})
//
// [Serve] returns once ctx ends and the server has shut down gracefully.
package admin
