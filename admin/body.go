package admin

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"
)

// requestError is a client mistake with the status that reports it.
type requestError struct {
	status int
	msg    string
}

func (e *requestError) Error() string { return e.msg }

func badRequest(format string, args ...any) *requestError {
	return &requestError{status: http.StatusBadRequest, msg: fmt.Sprintf(format, args...)}
}

// writeRequestError answers a client mistake.
func writeRequestError(w http.ResponseWriter, e *requestError) {
	writeError(w, e.status, e.msg)
}

// bodyShape describes a route's JSON body for the error messages.
type bodyShape struct {
	example string // what to send, for an empty body
	fields  string // the allowed fields, for an unknown one
}

// decodeBody checks the content type, reads the body within the limit and
// decodes it strictly into v: one JSON object with only the fields v has.
func (a *api) decodeBody(w http.ResponseWriter, r *http.Request, v any, shape bodyShape) *requestError {
	body, rerr := a.readBody(w, r)
	if rerr != nil {
		return rerr
	}
	return decodeStrict(body, v, shape)
}

// readBody checks the content type and reads the body within the limit.
func (a *api) readBody(w http.ResponseWriter, r *http.Request) ([]byte, *requestError) {
	if ct := r.Header.Get("Content-Type"); ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || mt != "application/json" {
			return nil, &requestError{http.StatusUnsupportedMediaType,
				fmt.Sprintf("unsupported Content-Type %q: send application/json", ct)}
		}
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, a.maxBody))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, &requestError{http.StatusRequestEntityTooLarge,
				fmt.Sprintf("request body exceeds the %d-byte limit", mbe.Limit)}
		}
		return nil, badRequest("cannot read the request body: %v", err)
	}
	return body, nil
}

// decodeStrict decodes body into v, refusing unknown fields and anything
// after the object.
func decodeStrict(body []byte, v any, shape bodyShape) *requestError {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return decodeError(err, body, shape)
	}
	if rest := bytes.TrimLeft(body[dec.InputOffset():], " \t\r\n"); len(rest) > 0 {
		return badRequest("invalid JSON: unexpected data after the request object at byte offset %d", len(body)-len(rest))
	}
	return nil
}

// decodeError explains a decoding failure, naming the byte offset of
// malformed JSON and the field of an unknown or mistyped one.
func decodeError(err error, body []byte, shape bodyShape) *requestError {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.Is(err, io.EOF):
		return badRequest("empty request body: send %s", shape.example)
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
		return badRequest("unknown field %s in the request body (allowed: %s)", field, shape.fields)
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

// required reports a missing or blank string field.
func required(value, field, what string) *requestError {
	if strings.TrimSpace(value) == "" {
		return badRequest("missing %q: %s", field, what)
	}
	return nil
}
