package cli

import (
	"context"
	"flag"
	"fmt"
	"net/url"
	"slices"
	"text/tabwriter"

	"github.com/maso-runtime/maso/registry"
)

// approvalStates are the values of "approvals list --state".
var approvalStates = []string{"all", string(registry.ApprovalPending), string(registry.ApprovalApproved),
	string(registry.ApprovalDenied), string(registry.ApprovalExpired)}

func (a *app) approvalsList(fs *flag.FlagSet) action {
	state := fs.String("state", "all", "list only approvals in `state`: pending, approved, denied, expired or all")
	return func(ctx context.Context, args []string) error {
		if err := wantArgs(args); err != nil {
			return err
		}
		if !slices.Contains(approvalStates, *state) {
			return usageError("--state %q: want pending, approved, denied, expired or all", *state)
		}
		var list struct {
			Approvals []registry.Approval `json:"approvals"`
		}
		if printed, err := a.show(ctx, "/v1/approvals?state="+url.QueryEscape(*state), &list); printed || err != nil {
			return err
		}
		return a.printApprovals(list.Approvals, *state)
	}
}

// printApprovals prints one line per approval.
func (a *app) printApprovals(list []registry.Approval, state string) error {
	switch {
	case len(list) == 0 && state == "all":
		fmt.Fprintln(a.stdout, "no approvals")
		return nil
	case len(list) == 0:
		fmt.Fprintf(a.stdout, "no %s approvals\n", state)
		return nil
	}
	tw := tabwriter.NewWriter(a.stdout, 0, 8, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tSTATE\tAGENT\tTOOL\tTASK\tEXPIRES\tDECIDED-BY")
	for _, ap := range list {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", ap.ID, ap.State, ap.Agent, ap.Tool, dash(ap.TaskID),
			formatTime(ap.ExpiresAt), dash(ap.DecidedBy))
	}
	return tw.Flush()
}

// approvalsDecide is "approvals approve" (approve true) or "approvals deny".
func approvalsDecide(approve bool) func(*app, *flag.FlagSet) action {
	decision := "deny"
	if approve {
		decision = "approve"
	}
	return func(a *app, fs *flag.FlagSet) action {
		reason := fs.String("reason", "", "why (kept with the decision and in the decision log)")
		return func(ctx context.Context, args []string) error {
			if err := wantArgs(args, "approval ID"); err != nil {
				return err
			}
			c, err := a.client()
			if err != nil {
				return err
			}
			var ap registry.Approval
			raw, err := c.postJSON(ctx, "/v1/approvals/"+url.PathEscape(args[0]),
				map[string]string{"decision": decision, "reason": *reason}, &ap)
			if err != nil {
				return err
			}
			if a.g.json {
				a.printRaw(raw)
				return nil
			}
			fmt.Fprintf(a.stdout, "approval %s: %s by %s (%s %s of task %s)\n", ap.ID, ap.State, ap.DecidedBy,
				ap.Agent, ap.Tool, dash(ap.TaskID))
			return nil
		}
	}
}
