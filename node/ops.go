package node

import (
	"context"
	"errors"

	"github.com/maso-runtime/maso/registry"
	"github.com/maso-runtime/maso/supervisor"
)

// ErrNoControlPlane reports an operation that needs etcd on a node that has
// none connected.
var ErrNoControlPlane = errors.New("node: control plane not connected")

// Control is the node's PACE controller.
func (n *Node) Control() *supervisor.Controller {
	if n.cp == nil {
		return nil
	}
	return n.cp.ctl
}

// Registry is the node's etcd registry.
func (n *Node) Registry() *registry.Registry {
	if n.cp == nil {
		return nil
	}
	return n.cp.reg
}

// Authenticate maps a bearer token to its role, from the watched token cache
// (the bootstrap token in admin.token has the highest role).
func (n *Node) Authenticate(token string) (supervisor.Role, bool) {
	if n.cp == nil || n.cp.tokens == nil || token == "" {
		return 0, false
	}
	rec, ok := n.cp.tokens.Lookup(token)
	if !ok {
		return 0, false
	}
	role, err := supervisor.ParseRole(rec.Role)
	return role, err == nil
}

// PhaseView is the current phase with its history.
type PhaseView struct {
	registry.PhaseState
	History []registry.PhaseState `json:"history"`
	// Stale is set when etcd could not be read: the phase is the last one
	// this node saw.
	Stale bool   `json:"stale,omitempty"`
	Error string `json:"error,omitempty"`
}

// Phase returns the phase (and its history when etcd answers).
func (n *Node) Phase(ctx context.Context) PhaseView {
	ctl := n.Control()
	if ctl == nil {
		return PhaseView{PhaseState: registry.PhaseState{Phase: registry.PhasePrimary}, Stale: true, Error: ErrNoControlPlane.Error()}
	}
	v := PhaseView{PhaseState: ctl.Current()}
	h, err := ctl.History(ctx)
	if err != nil {
		v.Stale, v.Error = true, err.Error()
		return v
	}
	v.History = h
	if len(h) > 0 && h[len(h)-1].Epoch > v.Epoch {
		v.PhaseState = h[len(h)-1]
	}
	return v
}

// SetPhase asks for a phase change.
func (n *Node) SetPhase(ctx context.Context, to registry.Phase, reason, agent string, a supervisor.Actor) (registry.PhaseState, error) {
	ctl := n.Control()
	if ctl == nil {
		return registry.PhaseState{}, ErrNoControlPlane
	}
	return ctl.Transition(ctx, supervisor.Request{To: to, Reason: reason, Agent: agent}, a)
}

// KillSwitch enters Emergency.
func (n *Node) KillSwitch(ctx context.Context, reason string, a supervisor.Actor) (supervisor.KillResult, error) {
	ctl := n.Control()
	if ctl == nil {
		return supervisor.KillResult{}, ErrNoControlPlane
	}
	return ctl.KillSwitch(ctx, reason, a)
}

// Recover returns from Emergency to Primary with a post-incident review.
func (n *Node) Recover(ctx context.Context, review registry.Review, a supervisor.Actor) (registry.PhaseState, error) {
	ctl := n.Control()
	if ctl == nil {
		return registry.PhaseState{}, ErrNoControlPlane
	}
	return ctl.Recover(ctx, review, a)
}

// Approvals lists approvals in a state ("" for all).
func (n *Node) Approvals(ctx context.Context, state registry.ApprovalState) ([]registry.Approval, error) {
	if n.Registry() == nil {
		return nil, ErrNoControlPlane
	}
	return n.Registry().Approvals(ctx, state)
}

// Decide approves or denies a pending approval.
func (n *Node) Decide(ctx context.Context, id string, approve bool, reason string, a supervisor.Actor) (registry.Approval, error) {
	if n.Registry() == nil {
		return registry.Approval{}, ErrNoControlPlane
	}
	ap, err := n.Registry().Decide(ctx, id, approve, a.Name, reason)
	return ap, err
}

// Isolate, Resume and Revoke act on one agent of this node.
func (n *Node) Isolate(ctx context.Context, agent, reason string, a supervisor.Actor) error {
	if n.Control() == nil {
		return ErrNoControlPlane
	}
	return n.Control().Isolate(ctx, agent, reason, a)
}

// Resume returns an agent to work.
func (n *Node) Resume(ctx context.Context, agent, reason string, a supervisor.Actor) error {
	if n.Control() == nil {
		return ErrNoControlPlane
	}
	return n.Control().Resume(ctx, agent, reason, a)
}

// Revoke revokes an agent's credential cluster-wide.
func (n *Node) Revoke(ctx context.Context, agent, reason string, a supervisor.Actor) error {
	if n.Control() == nil {
		return ErrNoControlPlane
	}
	return n.Control().Revoke(ctx, agent, reason, a)
}

// CreateToken issues an admin token with a role (shown once; stored hashed).
func (n *Node) CreateToken(ctx context.Context, role supervisor.Role, name string, a supervisor.Actor) (string, error) {
	if n.Registry() == nil {
		return "", ErrNoControlPlane
	}
	if a.Role < supervisor.CISO {
		return "", &supervisor.AuthorityError{Required: supervisor.CISO, Have: a.Role, What: "creating tokens"}
	}
	return n.Registry().CreateToken(ctx, role.String(), name, a.Name)
}
