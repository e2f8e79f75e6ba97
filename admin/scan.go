package admin

import (
	"net/http"
)

type scanRequest struct {
	Text           *string `json:"text"`
	Channel        string  `json:"channel"`
	Classification string  `json:"classification"`
}

var scanShape = bodyShape{example: `{"text": "...", "channel": "message", "classification": "internal"}`,
	fields: `"text", "channel", "classification"`}

// scan is POST /v1/scan: the guardrails and DLP on a text, no side effects.
func (a *api) scan(w http.ResponseWriter, r *http.Request) {
	var req scanRequest
	if rerr := a.decodeBody(w, r, &req, scanShape); rerr != nil {
		writeRequestError(w, rerr)
		return
	}
	if req.Text == nil {
		writeRequestError(w, badRequest(`missing "text"`))
		return
	}
	res, err := a.rt.Scan(*req.Text, req.Channel, req.Classification)
	if err != nil {
		writeRequestError(w, badRequest("%v", err))
		return
	}
	writeJSON(w, http.StatusOK, res)
}
