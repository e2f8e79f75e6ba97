package registry

import "errors"

// Errors returned by Registry operations. Each is a sentinel that callers
// match with errors.Is; the returned error wraps it with the details.
var (
	// ErrConflict reports a compare-and-swap that lost: someone else
	// changed the record first (a phase moved to another epoch, or a
	// create-only key already exists).
	ErrConflict = errors.New("registry: conflict")
	// ErrUnavailable reports that etcd could not be reached, or that no
	// quorum confirmed the operation within Config.OpTimeout. The change
	// was refused; the error wraps the cause.
	ErrUnavailable = errors.New("registry: etcd unavailable")
	// ErrNotFound reports a record that does not exist.
	ErrNotFound = errors.New("registry: not found")
	// ErrAlreadyDecided reports a Decide on an approval that is no longer
	// pending.
	ErrAlreadyDecided = errors.New("registry: approval already decided")
	// ErrExpired reports a Decide on a pending approval past its
	// ExpiresAt (EC-1.1 fails closed: the action is not approved).
	ErrExpired = errors.New("registry: approval expired")
	// ErrInvalid reports an argument the registry refuses to store: a bad
	// name, an unknown state or phase, an ArgsHash that does not match
	// the action, and the like.
	ErrInvalid = errors.New("registry: invalid argument")
	// ErrCorrupt reports a stored record that does not decode, or an
	// approval whose action no longer matches its ArgsHash.
	ErrCorrupt = errors.New("registry: corrupt record")
)
