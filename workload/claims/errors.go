package claims

import "errors"

// Sentinel errors. Every error this package returns wraps one of them, so
// callers can tell the cases apart with [errors.Is].
var (
	// ErrInvalidClaim reports a claim that failed validation. The error
	// names every bad field; see [FieldError].
	ErrInvalidClaim = errors.New("claims: invalid claim")
	// ErrUnexpectedMessage reports a message a behaviour refuses to act on,
	// such as data sent where a claim was expected (PG-1.4).
	ErrUnexpectedMessage = errors.New("claims: unexpected message")
	// ErrToolArgs reports tool arguments that are malformed or inconsistent.
	ErrToolArgs = errors.New("claims: bad tool arguments")
	// ErrUnknownPolicy reports a policy number that is not on record.
	ErrUnknownPolicy = errors.New("claims: unknown policy")
	// ErrUnknownClaim reports a claim id that is not in the registry.
	ErrUnknownClaim = errors.New("claims: unknown claim")
	// ErrBadSpec reports an agent configuration a behaviour cannot run with.
	ErrBadSpec = errors.New("claims: bad agent spec")
)

// FieldError is one invalid field of a [Claim]. It matches
// [ErrInvalidClaim] with [errors.Is].
type FieldError struct {
	Field string // JSON name of the field, such as "policy_number"
	Msg   string
}

// Error formats e as "claims: invalid claim: field: message".
func (e *FieldError) Error() string {
	return ErrInvalidClaim.Error() + ": " + e.Field + ": " + e.Msg
}

// Unwrap returns [ErrInvalidClaim].
func (e *FieldError) Unwrap() error { return ErrInvalidClaim }
