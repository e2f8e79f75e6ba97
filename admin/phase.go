package admin

import (
	"context"
	"fmt"
	"net/http"

	"github.com/maso-runtime/maso/registry"
	"github.com/maso-runtime/maso/supervisor"
)

// phase answers the PACE phase with its history. It is 200 even when etcd
// cannot be read: the view is then the last phase this node saw, marked
// stale.
func (a *api) phase(w http.ResponseWriter, r *http.Request) {
	v := a.rt.Phase(r.Context())
	if v.History == nil {
		v.History = []registry.PhaseState{}
	}
	writeJSON(w, http.StatusOK, v)
}

// phaseRequest is the body of POST /v1/phase.
type phaseRequest struct {
	To     string `json:"to"`
	Reason string `json:"reason"`
	Agent  string `json:"agent"`
}

var phaseShape = bodyShape{example: `{"to": "alternate", "reason": "...", "agent": "<anomalous agent>"}`,
	fields: `"to", "reason", "agent"`}

// setPhase asks the supervisor for a phase change; the transition's own
// authority (security for P→A and A→C, ciso for entering Emergency) is the
// supervisor's to check.
func (a *api) setPhase(w http.ResponseWriter, r *http.Request) {
	var req phaseRequest
	to, rerr := a.readPhaseRequest(w, r, &req)
	if rerr != nil {
		writeRequestError(w, rerr)
		return
	}
	ps, err := a.rt.SetPhase(context.WithoutCancel(r.Context()), to, req.Reason, req.Agent, callerOf(r).actor)
	if err != nil {
		a.controlFailed(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, ps)
}

func (a *api) readPhaseRequest(w http.ResponseWriter, r *http.Request, req *phaseRequest) (registry.Phase, *requestError) {
	if rerr := a.decodeBody(w, r, req, phaseShape); rerr != nil {
		return "", rerr
	}
	if rerr := required(req.To, "to", "the phase to move to (primary, alternate, contingency or emergency)"); rerr != nil {
		return "", rerr
	}
	to, err := supervisor.ParsePhase(req.To)
	if err != nil {
		return "", badRequest("%v", err)
	}
	if rerr := required(req.Reason, "reason", "why the phase changes"); rerr != nil {
		return "", rerr
	}
	if cur := a.rt.Health().Phase; to == supervisor.Primary && cur == string(supervisor.Emergency) {
		return "", badRequest("leaving emergency needs a post-incident review: use POST /v1/recover")
	}
	return to, nil
}

// killRequest is the body of POST /v1/killswitch.
type killRequest struct {
	Reason string `json:"reason"`
}

var killShape = bodyShape{example: `{"reason": "..."}`, fields: `"reason"`}

// killSwitch enters Emergency. It answers only after every agent of this
// node is stopped, and keeps going if the client goes away.
func (a *api) killSwitch(w http.ResponseWriter, r *http.Request) {
	var req killRequest
	rerr := a.decodeBody(w, r, &req, killShape)
	if rerr == nil {
		rerr = required(req.Reason, "reason", "why the kill switch is pulled")
	}
	if rerr != nil {
		writeRequestError(w, rerr)
		return
	}
	c := callerOf(r)
	if c.actor.Role < CISO { // the supervisor does not re-check while already in emergency
		a.controlFailed(w, r, &supervisor.AuthorityError{Required: CISO, Have: c.actor.Role, What: "the kill switch"})
		return
	}
	res, err := a.rt.KillSwitch(context.WithoutCancel(r.Context()), req.Reason, c.actor)
	if err != nil {
		a.controlFailed(w, r, err)
		return
	}
	if !res.Recorded {
		a.log.Warn("kill switch: phase change not recorded", "warning", res.Warning)
	}
	writeJSON(w, http.StatusOK, res)
}

// reviewBody is the post-incident review of POST /v1/recover.
type reviewBody struct {
	RootCause        string `json:"root_cause"`
	Remediation      string `json:"remediation"`
	BaselinesUpdated bool   `json:"baselines_updated"`
	Approver         string `json:"approver"`
}

// recoverRequest is the body of POST /v1/recover.
type recoverRequest struct {
	Review *reviewBody `json:"review"`
}

var recoverShape = bodyShape{
	example: `{"review": {"root_cause": "...", "remediation": "...", "baselines_updated": true, "approver": "..."}}`,
	fields:  `"review" with "root_cause", "remediation", "baselines_updated", "approver"`,
}

// recover returns from Emergency to Primary with the post-incident review;
// the supervisor names the review's missing fields.
func (a *api) recover(w http.ResponseWriter, r *http.Request) {
	var req recoverRequest
	if rerr := a.decodeBody(w, r, &req, recoverShape); rerr != nil {
		writeRequestError(w, rerr)
		return
	}
	if cur := a.rt.Health().Phase; cur != string(supervisor.Emergency) {
		writeError(w, http.StatusBadRequest, fmt.Sprintf("the node is not in emergency (phase %s): use POST /v1/phase", cur))
		return
	}
	var review registry.Review
	if rv := req.Review; rv != nil {
		review = registry.Review{RootCause: rv.RootCause, Remediation: rv.Remediation,
			BaselinesUpdated: rv.BaselinesUpdated, Approver: rv.Approver}
	}
	ps, err := a.rt.Recover(context.WithoutCancel(r.Context()), review, callerOf(r).actor)
	if err != nil {
		a.controlFailed(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, ps)
}
