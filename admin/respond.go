package admin

import (
	"encoding/json"
	"log/slog"
	"net/http"
)

// errorBody is the JSON of every error response.
type errorBody struct {
	Error        string `json:"error"`
	RequiredRole string `json:"required_role,omitempty"`
	TaskID       string `json:"task_id,omitempty"`
	// Phase is the PACE phase that refused the request.
	Phase string `json:"phase,omitempty"`
}

// setJSONHeaders marks a response as JSON that no cache may keep.
func setJSONHeaders(h http.Header) {
	h.Set("Content-Type", "application/json")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "no-store")
}

// writeJSON encodes v as the response with the given status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		slog.Default().Error("admin: encode response", "err", err)
		status = http.StatusInternalServerError
		b = []byte(`{"error":"cannot encode the response"}`)
	}
	setJSONHeaders(w.Header())
	w.WriteHeader(status)
	_, _ = w.Write(append(b, '\n'))
}

// writeError answers {"error": msg} with the given status.
func writeError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, errorBody{Error: msg})
}
