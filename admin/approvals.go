package admin

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/maso-runtime/maso/registry"
)

// approvalStates are the values of GET /v1/approvals?state=; "all" is "".
var approvalStates = map[string]registry.ApprovalState{
	"all":                             "",
	string(registry.ApprovalPending):  registry.ApprovalPending,
	string(registry.ApprovalApproved): registry.ApprovalApproved,
	string(registry.ApprovalDenied):   registry.ApprovalDenied,
	string(registry.ApprovalExpired):  registry.ApprovalExpired,
}

// approvals lists approval requests, all of them unless ?state= narrows
// them; a pending one past its expiry lists as expired.
func (a *api) approvals(w http.ResponseWriter, r *http.Request) {
	state, rerr := approvalState(r.URL.Query())
	if rerr != nil {
		writeRequestError(w, rerr)
		return
	}
	list, err := a.rt.Approvals(r.Context(), state)
	if err != nil {
		a.controlFailed(w, r, err)
		return
	}
	if list == nil {
		list = []registry.Approval{}
	}
	writeJSON(w, http.StatusOK, struct {
		Approvals []registry.Approval `json:"approvals"`
	}{list})
}

// approvalState reads ?state=, "all" when absent.
func approvalState(q url.Values) (registry.ApprovalState, *requestError) {
	if !q.Has("state") {
		return "", nil
	}
	s := q.Get("state")
	st, ok := approvalStates[strings.ToLower(s)]
	if !ok {
		return "", badRequest("unknown approval state %s (want pending, approved, denied, expired or all)", strconv.Quote(s))
	}
	return st, nil
}

// decideRequest is the body of POST /v1/approvals/{id}.
type decideRequest struct {
	Decision string `json:"decision"`
	Reason   string `json:"reason"`
}

var decideShape = bodyShape{example: `{"decision": "approve", "reason": "..."}`, fields: `"decision", "reason"`}

// decide approves or denies a pending approval. Of two deciders one wins;
// the other, and anyone deciding an expired approval, gets 409.
func (a *api) decide(w http.ResponseWriter, r *http.Request) {
	var req decideRequest
	if rerr := a.decodeBody(w, r, &req, decideShape); rerr != nil {
		writeRequestError(w, rerr)
		return
	}
	approve, rerr := parseDecision(req.Decision)
	if rerr != nil {
		writeRequestError(w, rerr)
		return
	}
	id := r.PathValue("id")
	ap, err := a.rt.Decide(context.WithoutCancel(r.Context()), id, approve, req.Reason, callerOf(r).actor)
	switch {
	case errors.Is(err, registry.ErrExpired):
		writeError(w, http.StatusConflict, err.Error()+": expired: counts as denied")
	case err != nil:
		a.controlFailed(w, r, err)
	default:
		writeJSON(w, http.StatusOK, ap)
	}
}

func parseDecision(s string) (bool, *requestError) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "approve":
		return true, nil
	case "deny":
		return false, nil
	case "":
		return false, badRequest(`missing "decision": "approve" or "deny"`)
	}
	return false, badRequest(`unknown decision %s (want "approve" or "deny")`, strconv.Quote(s))
}
