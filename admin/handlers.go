package admin

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/maso-runtime/maso/audit"
	"github.com/maso-runtime/maso/node"
)

func (a *api) health(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, a.rt.Health())
}

func (a *api) agents(w http.ResponseWriter, r *http.Request) {
	agents := a.rt.Agents()
	if agents == nil {
		agents = []node.AgentInfo{}
	}
	writeJSON(w, http.StatusOK, struct {
		Agents []node.AgentInfo `json:"agents"`
	}{agents})
}

func (a *api) agent(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	info, ok := a.rt.Agent(name)
	if !ok {
		writeError(w, http.StatusNotFound, "unknown agent "+strconv.Quote(name))
		return
	}
	writeJSON(w, http.StatusOK, info)
}

func (a *api) task(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	v, ok := a.rt.Task(id)
	if !ok {
		writeError(w, http.StatusNotFound, "unknown task "+strconv.Quote(id))
		return
	}
	writeJSON(w, http.StatusOK, v)
}

// verifyAudit reports on the decision log: 200 whether or not it verifies
// (the report says which, and where), 500 only when it cannot be read.
func (a *api) verifyAudit(w http.ResponseWriter, r *http.Request) {
	rep, err := a.rt.VerifyAudit()
	if err != nil && !errors.Is(err, audit.ErrCorrupt) {
		a.log.Error("audit verification failed", "err", err)
		writeError(w, http.StatusInternalServerError, "audit verification failed: "+err.Error())
		return
	}
	if !rep.OK {
		a.log.Warn("decision log does not verify", "error", rep.Error, "segment", rep.Segment, "line", rep.Line, "seq", rep.Seq)
	}
	writeJSON(w, http.StatusOK, rep)
}
