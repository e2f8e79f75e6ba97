package llm

import (
	"errors"
	"strings"
)

// redacted replaces the API key wherever a server echoes it.
const redacted = "[redacted]"

// redact replaces every occurrence of key in s. When s was cut short, a
// trailing start of the key is dropped too.
func redact(s, key string, cut bool) string {
	if key == "" {
		return s
	}
	s = strings.ReplaceAll(s, key, redacted)
	if !cut {
		return s
	}
	for n := min(len(key)-1, len(s)); n > 0; n-- {
		if strings.HasSuffix(s, key[:n]) {
			return s[:len(s)-n]
		}
	}
	return s
}

// scrubResponse redacts the key from the text fields of an answer, so a
// server that echoes it cannot put it on the bus (IA-2.6).
func (c *Client) scrubResponse(r ChatResponse) ChatResponse {
	r.Content = redact(r.Content, c.apiKey, false)
	r.Model = redact(r.Model, c.apiKey, false)
	r.FinishReason = redact(r.FinishReason, c.apiKey, false)
	return r
}

// scrubError returns err unchanged unless its text holds the key; then it
// returns an error with the key redacted that still matches what err
// matched under errors.Is and errors.As.
func (c *Client) scrubError(err error) error {
	if c.apiKey == "" || !strings.Contains(err.Error(), c.apiKey) {
		return err
	}
	return &redactedError{msg: redact(err.Error(), c.apiKey, false), err: err}
}

// redactedError hides an error whose text holds the key. It has no Unwrap,
// so the original text cannot be reached; Is and As consult it instead.
type redactedError struct {
	msg string
	err error
}

func (e *redactedError) Error() string        { return e.msg }
func (e *redactedError) Is(target error) bool { return errors.Is(e.err, target) }
func (e *redactedError) As(target any) bool   { return errors.As(e.err, target) }
