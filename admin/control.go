package admin

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/maso-runtime/maso/supervisor"
)

// TokenVisibleTimeout bounds how long POST /v1/tokens waits for the new
// token to authenticate here (the token store follows etcd by a watch).
const TokenVisibleTimeout = 2 * time.Second

// agentOp is one of the per-agent actions of a Runtime.
type agentOp func(rt Runtime, ctx context.Context, agent, reason string, a supervisor.Actor) error

// actionRequest is the body of POST /v1/agents/{name}/isolate|resume|revoke.
type actionRequest struct {
	Reason string `json:"reason"`
}

var actionShape = bodyShape{example: `{"reason": "..."}`, fields: `"reason"`}

// agentAction serves one per-agent action and answers the agent as it is
// afterwards. An unknown agent is 404; in Emergency every agent is stopped
// and the action is 409.
func agentAction(op agentOp) func(*api, http.ResponseWriter, *http.Request) {
	return func(a *api, w http.ResponseWriter, r *http.Request) {
		var req actionRequest
		if rerr := a.decodeBody(w, r, &req, actionShape); rerr != nil {
			writeRequestError(w, rerr)
			return
		}
		name := r.PathValue("name")
		if _, ok := a.rt.Agent(name); !ok {
			writeError(w, http.StatusNotFound, "unknown agent "+strconv.Quote(name))
			return
		}
		if phase := a.rt.Health().Phase; phase == string(supervisor.Emergency) {
			writeJSON(w, http.StatusConflict, errorBody{Phase: phase,
				Error: "the node is in emergency: every agent is stopped; recover to primary first"})
			return
		}
		if err := op(a.rt, context.WithoutCancel(r.Context()), name, req.Reason, callerOf(r).actor); err != nil {
			a.controlFailed(w, r, err)
			return
		}
		info, _ := a.rt.Agent(name)
		writeJSON(w, http.StatusOK, info)
	}
}

// tokenRequest is the body of POST /v1/tokens.
type tokenRequest struct {
	Role string `json:"role"`
	Name string `json:"name"`
}

var tokenShape = bodyShape{example: `{"role": "viewer", "name": "..."}`, fields: `"role", "name"`}

// createdToken is the answer of POST /v1/tokens: the only time the token
// is shown.
type createdToken struct {
	Token string `json:"token"`
	Role  string `json:"role"`
	Name  string `json:"name"`
}

// createToken issues an admin token. It answers once the token
// authenticates on this node (or after TokenVisibleTimeout).
func (a *api) createToken(w http.ResponseWriter, r *http.Request) {
	var req tokenRequest
	role, rerr := a.readTokenRequest(w, r, &req)
	if rerr != nil {
		writeRequestError(w, rerr)
		return
	}
	ctx := context.WithoutCancel(r.Context())
	tok, err := a.rt.CreateToken(ctx, role, req.Name, callerOf(r).actor)
	if err != nil {
		a.controlFailed(w, r, err)
		return
	}
	if !a.awaitToken(ctx, tok, role) {
		a.log.Warn("new token does not authenticate here yet", "role", role.String(), "name", req.Name)
	}
	writeJSON(w, http.StatusCreated, createdToken{Token: tok, Role: role.String(), Name: req.Name})
}

func (a *api) readTokenRequest(w http.ResponseWriter, r *http.Request, req *tokenRequest) (Role, *requestError) {
	if rerr := a.decodeBody(w, r, req, tokenShape); rerr != nil {
		return 0, rerr
	}
	if rerr := required(req.Role, "role", "viewer, operator, security or ciso"); rerr != nil {
		return 0, rerr
	}
	role, err := ParseRole(req.Role)
	if err != nil {
		return 0, badRequest("%v", err)
	}
	return role, nil
}

// awaitToken waits until tok authenticates with role here.
func (a *api) awaitToken(ctx context.Context, tok string, role Role) bool {
	ctx, cancel := context.WithTimeout(ctx, TokenVisibleTimeout)
	defer cancel()
	for {
		if got, ok := a.auth.Authenticate(tok); ok && got == role {
			return true
		}
		select {
		case <-ctx.Done():
			return false
		case <-time.After(5 * time.Millisecond):
		}
	}
}
