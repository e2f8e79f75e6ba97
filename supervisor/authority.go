package supervisor

import (
	"errors"
	"fmt"
	"strings"

	"github.com/maso-runtime/maso/registry"
)

// The four PACE phases.
const (
	Primary     = registry.PhasePrimary
	Alternate   = registry.PhaseAlternate
	Contingency = registry.PhaseContingency
	Emergency   = registry.PhaseEmergency
)

// Role is an operator's authority, lowest first.
type Role int

// Roles of admin tokens.
const (
	Viewer Role = iota + 1
	Operator
	Security
	CISO
)

var roleNames = map[Role]string{Viewer: "viewer", Operator: "operator", Security: "security", CISO: "ciso"}

// String returns the role's name.
func (r Role) String() string {
	if n, ok := roleNames[r]; ok {
		return n
	}
	return fmt.Sprintf("role(%d)", int(r))
}

// ParseRole parses a role name.
func ParseRole(s string) (Role, error) {
	for r, n := range roleNames {
		if n == strings.ToLower(strings.TrimSpace(s)) {
			return r, nil
		}
	}
	return 0, fmt.Errorf("supervisor: unknown role %q (want viewer, operator, security or ciso)", s)
}

// ParsePhase parses a phase name ("primary", "alternate", ... or P/A/C/E).
func ParsePhase(s string) (registry.Phase, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "primary", "p":
		return Primary, nil
	case "alternate", "a":
		return Alternate, nil
	case "contingency", "c":
		return Contingency, nil
	case "emergency", "e":
		return Emergency, nil
	}
	return "", fmt.Errorf("supervisor: unknown phase %q (want primary, alternate, contingency or emergency)", s)
}

// Errors of phase transitions.
var (
	ErrForbidden      = errors.New("supervisor: not authorised")
	ErrBadTransition  = errors.New("supervisor: transition not allowed")
	ErrReviewRequired = errors.New("supervisor: post-incident review required")
)

// AuthorityError says which role a refused transition needs.
type AuthorityError struct {
	Required Role
	Have     Role
	What     string
}

func (e *AuthorityError) Error() string {
	return fmt.Sprintf("supervisor: %s needs the %s role (caller has %s)", e.What, e.Required, e.Have)
}

// Unwrap makes errors.Is(err, ErrForbidden) true.
func (e *AuthorityError) Unwrap() error { return ErrForbidden }

// Actor is who asks for a transition: a person's token role, or the runtime
// itself (Auto) for the automated P→A and the 48-hour A→C.
type Actor struct {
	Name string
	Role Role
	Auto bool
}

// Required returns the role a manual transition from→to needs. The PACE rules
// of the Tier 2 guidance: P→A is automated (a manual P→A needs security);
// A→C needs the security team; entering Emergency and recovering E→P need the
// CISO; leaving Emergency goes only to Primary.
func Required(from, to registry.Phase) (Role, error) {
	switch {
	case from == to:
		return 0, fmt.Errorf("%w: already in %s", ErrBadTransition, to)
	case to == Emergency:
		return CISO, nil
	case from == Emergency && to == Primary:
		return CISO, nil
	case from == Emergency:
		return 0, fmt.Errorf("%w: emergency recovers only to primary, with a post-incident review", ErrBadTransition)
	default:
		return Security, nil
	}
}

// Authorize checks that actor may move the phase from→to. Automated actors
// may take exactly P→A and A→C (the 48-hour rule).
func Authorize(from, to registry.Phase, a Actor) error {
	if a.Auto {
		if (from == Primary && to == Alternate) || (from == Alternate && to == Contingency) {
			return nil
		}
		return fmt.Errorf("%w: the runtime may only move primary→alternate and alternate→contingency on its own, not %s→%s", ErrForbidden, from, to)
	}
	need, err := Required(from, to)
	if err != nil {
		return err
	}
	if a.Role < need {
		return &AuthorityError{Required: need, Have: a.Role, What: fmt.Sprintf("%s→%s", from, to)}
	}
	return nil
}

// CheckReview validates the post-incident review E→P requires.
func CheckReview(r *registry.Review) error {
	if r == nil {
		return fmt.Errorf("%w: recovering from emergency needs a review with root_cause, remediation, baselines_updated and approver", ErrReviewRequired)
	}
	var missing []string
	if strings.TrimSpace(r.RootCause) == "" {
		missing = append(missing, "root_cause")
	}
	if strings.TrimSpace(r.Remediation) == "" {
		missing = append(missing, "remediation")
	}
	if !r.BaselinesUpdated {
		missing = append(missing, "baselines_updated (must be true)")
	}
	if strings.TrimSpace(r.Approver) == "" {
		missing = append(missing, "approver")
	}
	if len(missing) > 0 {
		return fmt.Errorf("%w: missing %s", ErrReviewRequired, strings.Join(missing, ", "))
	}
	return nil
}
