package cli

import (
	"context"
	"flag"
	"fmt"
	"net/url"
	"strings"

	"github.com/maso-runtime/maso/node"
	"github.com/maso-runtime/maso/supervisor"
)

// agentAction is "agents isolate", "agents resume" or "agents revoke".
func agentAction(verb string) func(*app, *flag.FlagSet) action {
	return func(a *app, fs *flag.FlagSet) action {
		reason := fs.String("reason", "", "why (kept with the agent's state and in the decision log)")
		return func(ctx context.Context, args []string) error {
			if err := wantArgs(args, "agent NAME"); err != nil {
				return err
			}
			c, err := a.client()
			if err != nil {
				return err
			}
			var ag node.AgentInfo
			raw, err := c.postJSON(ctx, "/v1/agents/"+url.PathEscape(args[0])+"/"+verb,
				map[string]string{"reason": *reason}, &ag)
			if err != nil {
				return err
			}
			if a.g.json {
				a.printRaw(raw)
				return nil
			}
			fmt.Fprintf(a.stdout, "%s: %s", ag.Name, ag.State)
			if ag.Reason != "" {
				fmt.Fprintf(a.stdout, " (%s)", ag.Reason)
			}
			fmt.Fprintln(a.stdout)
			return nil
		}
	}
}

func (a *app) tokenCreate(fs *flag.FlagSet) action {
	role := fs.String("role", "", "the token's `role`: viewer, operator, security or ciso (required)")
	name := fs.String("name", "", "a `name` for the token, e.g. who holds it")
	return func(ctx context.Context, args []string) error {
		if err := wantArgs(args); err != nil {
			return err
		}
		if *role == "" {
			return usageError("token create needs --role R (viewer, operator, security or ciso)")
		}
		r, err := supervisor.ParseRole(*role)
		if err != nil {
			return usageError("--role: %s", strings.TrimPrefix(err.Error(), "supervisor: "))
		}
		c, err := a.client()
		if err != nil {
			return err
		}
		var out struct {
			Token string `json:"token"`
		}
		raw, err := c.postJSON(ctx, "/v1/tokens", map[string]string{"role": r.String(), "name": *name}, &out)
		if err != nil {
			return err
		}
		if a.g.json {
			a.printRaw(raw)
			return nil
		}
		fmt.Fprintln(a.stdout, out.Token)
		return nil
	}
}
