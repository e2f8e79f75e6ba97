package admin

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"

	"github.com/maso-runtime/maso/actors"
)

// submitRequest is the body of POST /v1/tasks.
type submitRequest struct {
	To      string          `json:"to"`
	Payload json.RawMessage `json:"payload"`
}

var submitShape = bodyShape{example: `{"to": "<workflow or agent>", "payload": {...}}`, fields: `"to", "payload"`}

func (a *api) submit(w http.ResponseWriter, r *http.Request) {
	var req submitRequest
	rerr := a.decodeBody(w, r, &req, submitShape)
	if rerr == nil {
		rerr = checkSubmit(&req)
	}
	if rerr != nil {
		writeRequestError(w, rerr)
		return
	}
	id, err := a.rt.Submit(r.Context(), req.To, req.Payload)
	if err != nil {
		a.submitFailed(w, id, err)
		return
	}
	w.Header().Set("Location", "/v1/tasks/"+url.PathEscape(id))
	writeJSON(w, http.StatusAccepted, struct {
		TaskID string `json:"task_id"`
	}{id})
}

// submitFailed maps a Submit error to its status, keeping the runtime's
// message. A node that refuses tasks because of its PACE phase answers 409
// naming the phase.
func (a *api) submitFailed(w http.ResponseWriter, id string, err error) {
	switch {
	case errors.Is(err, actors.ErrBadTask):
		writeJSON(w, http.StatusBadRequest, errorBody{Error: err.Error(), TaskID: id})
	case errors.Is(err, actors.ErrPayloadTooLarge):
		writeJSON(w, http.StatusRequestEntityTooLarge, errorBody{Error: err.Error(), TaskID: id})
	case errors.Is(err, actors.ErrSuspended):
		writeJSON(w, http.StatusConflict, errorBody{Error: err.Error(), TaskID: id, Phase: a.rt.Health().Phase})
	default:
		a.log.Error("task submission failed", "task_id", id, "err", err)
		writeJSON(w, http.StatusInternalServerError, errorBody{Error: "task submission failed: " + err.Error(), TaskID: id})
	}
}

// checkSubmit requires "to" and an object "payload".
func checkSubmit(req *submitRequest) *requestError {
	if req.To == "" {
		return badRequest(`missing "to": name the workflow or entry agent the task is for`)
	}
	p := bytes.TrimSpace(req.Payload)
	if len(p) == 0 || string(p) == "null" {
		return badRequest(`missing "payload": the task's JSON object`)
	}
	if p[0] != '{' {
		return badRequest(`"payload" must be a JSON object, got %s`, jsonKind(p[0]))
	}
	req.Payload = p
	return nil
}
