package admin

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"

	"github.com/maso-runtime/maso/actors"
)

// submitRequest is the body of POST /v1/tasks.
type submitRequest struct {
	To      string          `json:"to"`
	Payload json.RawMessage `json:"payload"`
}

// requestError is a client mistake with the status that reports it.
type requestError struct {
	status int
	msg    string
}

func (e *requestError) Error() string { return e.msg }

func badRequest(format string, args ...any) *requestError {
	return &requestError{status: http.StatusBadRequest, msg: fmt.Sprintf(format, args...)}
}

func (a *api) submit(w http.ResponseWriter, r *http.Request) {
	req, rerr := a.readSubmit(w, r)
	if rerr != nil {
		writeError(w, rerr.status, rerr.msg)
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
// message.
func (a *api) submitFailed(w http.ResponseWriter, id string, err error) {
	switch {
	case errors.Is(err, actors.ErrBadTask):
		writeJSON(w, http.StatusBadRequest, errorBody{Error: err.Error(), TaskID: id})
	case errors.Is(err, actors.ErrPayloadTooLarge):
		writeJSON(w, http.StatusRequestEntityTooLarge, errorBody{Error: err.Error(), TaskID: id})
	default:
		a.log.Error("task submission failed", "task_id", id, "err", err)
		writeJSON(w, http.StatusInternalServerError, errorBody{Error: "task submission failed: " + err.Error(), TaskID: id})
	}
}

// readSubmit checks the content type, reads the body within the limit and
// decodes it strictly.
func (a *api) readSubmit(w http.ResponseWriter, r *http.Request) (submitRequest, *requestError) {
	if ct := r.Header.Get("Content-Type"); ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || mt != "application/json" {
			return submitRequest{}, &requestError{http.StatusUnsupportedMediaType,
				fmt.Sprintf("unsupported Content-Type %q: send application/json", ct)}
		}
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, a.maxBody))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return submitRequest{}, &requestError{http.StatusRequestEntityTooLarge,
				fmt.Sprintf("request body exceeds the %d-byte limit", mbe.Limit)}
		}
		return submitRequest{}, badRequest("cannot read the request body: %v", err)
	}
	req, rerr := decodeSubmit(body)
	if rerr != nil {
		return submitRequest{}, rerr
	}
	return req, nil
}

// decodeSubmit decodes a POST /v1/tasks body: one JSON object with "to"
// and an object "payload" and nothing else.
func decodeSubmit(body []byte) (submitRequest, *requestError) {
	var req submitRequest
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil {
		return req, decodeError(err, body)
	}
	if rest := bytes.TrimLeft(body[dec.InputOffset():], " \t\r\n"); len(rest) > 0 {
		return req, badRequest("invalid JSON: unexpected data after the request object at byte offset %d", len(body)-len(rest))
	}
	if req.To == "" {
		return req, badRequest(`missing "to": name the workflow or entry agent the task is for`)
	}
	p := bytes.TrimSpace(req.Payload)
	if len(p) == 0 || string(p) == "null" {
		return req, badRequest(`missing "payload": the task's JSON object`)
	}
	if p[0] != '{' {
		return req, badRequest(`"payload" must be a JSON object, got %s`, jsonKind(p[0]))
	}
	req.Payload = p
	return req, nil
}

// decodeError explains a decoding failure, naming the byte offset of
// malformed JSON and the field of an unknown or mistyped one.
func decodeError(err error, body []byte) *requestError {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.Is(err, io.EOF):
		return badRequest(`empty request body: send {"to": "<workflow or agent>", "payload": {...}}`)
	case errors.Is(err, io.ErrUnexpectedEOF):
		return badRequest("invalid JSON: unexpected end of input at byte offset %d", len(body))
	case errors.As(err, &syn):
		return badRequest("invalid JSON at byte offset %d: %s", syn.Offset, syn.Error())
	case errors.As(err, &typ) && typ.Field == "":
		return badRequest("the request body must be a JSON object, got %s", typ.Value)
	case errors.As(err, &typ):
		return badRequest("field %q has the wrong type: got %s at byte offset %d, want %s", typ.Field, typ.Value, typ.Offset, typ.Type)
	}
	if field, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		return badRequest(`unknown field %s in the request body (allowed: "to", "payload")`, field)
	}
	return badRequest("invalid request body: %v", err)
}

// jsonKind names the kind of JSON value that starts with c.
func jsonKind(c byte) string {
	switch c {
	case '"':
		return "a string"
	case '[':
		return "an array"
	case 't', 'f':
		return "a boolean"
	default:
		return "a number"
	}
}
