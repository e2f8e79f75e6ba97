package llm

import (
	"errors"
	"fmt"
	"net/http"
)

// Errors returned by NewClient, Factory and Client.Chat. Each is a sentinel
// that callers match with errors.Is; the returned error wraps it with the
// details of the failure. No error ever contains the API key (IA-2.6).
var (
	// ErrInvalidConfig reports a missing llm section, an endpoint that is
	// not an absolute http(s) URL, or an API key that cannot be sent in an
	// HTTP header.
	ErrInvalidConfig = errors.New("llm: invalid configuration")
	// ErrInvalidRequest reports a ChatRequest without messages or with a
	// negative MaxTokens.
	ErrInvalidRequest = errors.New("llm: invalid chat request")
	// ErrEmptyInstruction reports an instruction or delegation whose
	// payload holds no text.
	ErrEmptyInstruction = errors.New("llm: empty instruction")
	// ErrHTTPStatus reports a non-2xx answer from the endpoint. The
	// returned error is a *StatusError.
	ErrHTTPStatus = errors.New("llm: unexpected HTTP status")
	// ErrMalformedResponse reports a 2xx answer that is not a valid
	// chat-completions JSON document.
	ErrMalformedResponse = errors.New("llm: malformed response")
	// ErrEmptyResponse reports a valid answer with no choices or with an
	// empty message content.
	ErrEmptyResponse = errors.New("llm: empty response")
)

// StatusError is the error for a non-2xx answer. It matches ErrHTTPStatus
// with errors.Is; use errors.As to read the status code, for instance to
// retry on 429 or 503.
type StatusError struct {
	// StatusCode is the HTTP status code of the answer.
	StatusCode int
	// Body is at most 512 bytes of the response body, with the API key
	// replaced by "[redacted]".
	Body string
}

// Error describes the status and the start of the body.
func (e *StatusError) Error() string {
	return fmt.Sprintf("%v: %d %s: %q", ErrHTTPStatus, e.StatusCode, http.StatusText(e.StatusCode), e.Body)
}

// Unwrap returns ErrHTTPStatus.
func (e *StatusError) Unwrap() error { return ErrHTTPStatus }
