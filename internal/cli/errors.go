package cli

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
)

// Errors of the commands. Run maps them to exit codes: ErrUsage to 2,
// the others to 1.
var (
	// ErrUsage reports a command line that cannot be run: an unknown
	// command or flag, a missing or extra argument, a bad flag value.
	ErrUsage = errors.New("masoctl: usage")
	// ErrUnreachable reports that no masod answered at the address.
	ErrUnreachable = errors.New("masoctl: cannot reach masod")
	// ErrAPI reports an error response of the admin API.
	ErrAPI = errors.New("masoctl: admin API error")
	// ErrFailed reports a result that is not a success (a task that did
	// not complete, a log that does not verify) after it was printed.
	ErrFailed = errors.New("masoctl: failed")
)

// usageError returns an error wrapping ErrUsage with the message.
func usageError(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrUsage, fmt.Sprintf(format, args...))
}

// apiError is an error response of the admin API.
type apiError struct {
	status       int
	msg          string
	requiredRole string
	tokenSource  string
}

func (e *apiError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s (HTTP %d %s", e.msg, e.status, http.StatusText(e.status))
	switch e.status {
	case http.StatusUnauthorized:
		fmt.Fprintf(&b, "; token from %s; set --token-file or MASO_TOKEN, or run from the directory holding maso-data/admin.token", e.tokenSource)
	case http.StatusForbidden:
		if e.requiredRole != "" {
			fmt.Fprintf(&b, "; requires role %s", e.requiredRole)
		}
	}
	b.WriteByte(')')
	return b.String()
}

func (e *apiError) Unwrap() error { return ErrAPI }
