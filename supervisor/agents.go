package supervisor

import (
	"context"
	"fmt"

	"github.com/maso-runtime/maso/actors"
	"github.com/maso-runtime/maso/identity"
	"github.com/maso-runtime/maso/registry"
)

// Roles needed for the per-agent operations.
const (
	RoleIsolate = Operator
	RoleResume  = Security
	RoleRevoke  = Security
)

func need(a Actor, r Role, what string) error {
	if a.Auto || a.Role >= r {
		return nil
	}
	return &AuthorityError{Required: r, Have: a.Role, What: what}
}

// Isolate takes an agent off the bus and suspends its tools.
func (c *Controller) Isolate(ctx context.Context, agent, reason string, a Actor) error {
	if err := need(a, RoleIsolate, "isolating an agent"); err != nil {
		return err
	}
	return c.cfg.System.SetState(ctx, agent, actors.StateIsolated, reason, a.Name, "EC-2.4")
}

// Resume returns a paused or isolated agent to work, with a fresh
// credential if its certificate was revoked.
func (c *Controller) Resume(ctx context.Context, agent, reason string, a Actor) error {
	if err := need(a, RoleResume, "resuming an agent"); err != nil {
		return err
	}
	sys := c.cfg.System
	if !sys.Running() {
		return fmt.Errorf("supervisor: the node is in emergency; recover to primary first")
	}
	if st := sys.StateOf(agent); st == actors.StateStopped || st == "" {
		if err := sys.Reissue(ctx, agent); err != nil {
			return err
		}
	}
	_ = sys.Route(ctx, agent, "")
	return sys.SetState(ctx, agent, actors.StateActive, reason, a.Name, "EC-2.4")
}

// Revoke revokes an agent's current certificate cluster-wide (etcd, watched
// by every node, and the issuer) and stops the agent.
func (c *Controller) Revoke(ctx context.Context, agent, reason string, a Actor) error {
	if err := need(a, RoleRevoke, "revoking an agent's credential"); err != nil {
		return err
	}
	var serial string
	for _, info := range c.cfg.System.Agents() {
		if info.Name == agent {
			serial = info.CertSerial
		}
	}
	if serial == "" {
		return fmt.Errorf("%w %q", actors.ErrUnknownRecipient, agent)
	}
	if err := c.revoke(ctx, agent, serial, reason, a.Name); err != nil {
		return err
	}
	return c.cfg.System.SetState(ctx, agent, actors.StateStopped, "credential revoked: "+reason, a.Name, "IA-2.2")
}

// revoke writes the serial to the etcd revocation set and tells the issuer.
func (c *Controller) revoke(ctx context.Context, agent, serial, reason, by string) error {
	err := c.cfg.Registry.Revoke(ctx, registry.Revocation{Serial: serial, Agent: agent, Reason: reason, By: by, At: c.cfg.Clock().UTC()})
	if err != nil {
		return err
	}
	if rv, ok := c.cfg.Issuer.(identity.Revoker); ok {
		if err := rv.Revoke(ctx, serial); err != nil {
			c.log.Warn("issuer revocation failed (etcd revocation stands)", "serial", serial, "err", err)
		}
	}
	return nil
}
