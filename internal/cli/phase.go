package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net/http"
	"strings"
	"text/tabwriter"

	"github.com/maso-runtime/maso/node"
	"github.com/maso-runtime/maso/registry"
	"github.com/maso-runtime/maso/supervisor"
)

func (a *app) phaseShow(fs *flag.FlagSet) action {
	return func(ctx context.Context, args []string) error {
		if err := wantArgs(args); err != nil {
			return err
		}
		var v node.PhaseView
		if printed, err := a.show(ctx, "/v1/phase", &v); printed || err != nil {
			return err
		}
		a.printPhase(v.PhaseState)
		if v.Stale {
			fmt.Fprintf(a.stdout, "stale:   yes: etcd could not be read (%s); this is the last phase the node saw\n", v.Error)
		}
		return a.printHistory(v.History)
	}
}

// printPhase prints one phase state as "key: value" lines.
func (a *app) printPhase(ps registry.PhaseState) {
	who := dash(ps.Who)
	switch {
	case ps.Auto:
		who += " (automated)"
	case ps.Role != "":
		who += " (" + ps.Role + ")"
	}
	a.keyValues([][2]string{
		{"phase", string(ps.Phase)}, {"epoch", fmt.Sprint(ps.Epoch)}, {"since", formatTime(ps.Since)},
		{"reason", dash(ps.Reason)}, {"who", who}, {"agent", dash(ps.Agent)},
	})
}

// printHistory prints the phase changes, oldest first.
func (a *app) printHistory(h []registry.PhaseState) error {
	if len(h) == 0 {
		fmt.Fprintln(a.stdout, "\nhistory: no phase changes recorded")
		return nil
	}
	fmt.Fprintln(a.stdout, "\nhistory:")
	tw := tabwriter.NewWriter(a.stdout, 0, 8, 2, ' ', 0)
	fmt.Fprintln(tw, "EPOCH\tPHASE\tSINCE\tWHO\tROLE\tAGENT\tREASON")
	for _, ps := range h {
		role := ps.Role
		if ps.Auto {
			role = "automated"
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\n", ps.Epoch, ps.Phase, formatTime(ps.Since), dash(ps.Who),
			dash(role), dash(ps.Agent), dash(ps.Reason))
	}
	return tw.Flush()
}

func (a *app) phaseSet(fs *flag.FlagSet) action {
	reason := fs.String("reason", "", "why the phase changes (required)")
	agent := fs.String("agent", "", "the anomalous `agent`, for alternate: it is isolated and its backup stands in")
	return func(ctx context.Context, args []string) error {
		if err := wantArgs(args, "phase (primary, alternate, contingency or emergency)"); err != nil {
			return err
		}
		to, err := supervisor.ParsePhase(args[0])
		if err != nil {
			return usageError("%s", strings.TrimPrefix(err.Error(), "supervisor: "))
		}
		if strings.TrimSpace(*reason) == "" {
			return usageError("phase set needs --reason R")
		}
		body := map[string]string{"to": string(to), "reason": *reason}
		if *agent != "" {
			body["agent"] = *agent
		}
		return a.postPhase(ctx, "/v1/phase", body)
	}
}

// postPhase posts a phase change and prints the new phase.
func (a *app) postPhase(ctx context.Context, path string, body any) error {
	c, err := a.client()
	if err != nil {
		return err
	}
	var ps registry.PhaseState
	raw, err := c.postJSON(ctx, path, body, &ps)
	var ae *apiError
	if errors.As(err, &ae) && ae.status == http.StatusBadRequest && strings.Contains(ae.msg, "/v1/recover") {
		return fmt.Errorf("%w; run 'masoctl recover' with the post-incident review", err)
	}
	if err != nil {
		return err
	}
	if a.g.json {
		a.printRaw(raw)
		return nil
	}
	a.printPhase(ps)
	return nil
}

func (a *app) kill(fs *flag.FlagSet) action {
	reason := fs.String("reason", "", "why the kill switch is pulled (required)")
	return func(ctx context.Context, args []string) error {
		if err := wantArgs(args); err != nil {
			return err
		}
		if strings.TrimSpace(*reason) == "" {
			return usageError("kill needs --reason R")
		}
		c, err := a.client()
		if err != nil {
			return err
		}
		var res supervisor.KillResult
		raw, err := c.postJSON(ctx, "/v1/killswitch", map[string]string{"reason": *reason}, &res)
		if err != nil {
			return err
		}
		if a.g.json {
			a.printRaw(raw)
		} else {
			fmt.Fprintf(a.stdout, "%s: %d agents stopped in %.3f ms\n", res.Phase, res.StoppedAgents, res.ElapsedMS)
		}
		if !res.Recorded {
			fmt.Fprintf(a.stderr, "masoctl: warning: %s\n", dash(res.Warning))
			return fmt.Errorf("%w: the emergency is not recorded for the cluster yet", ErrFailed)
		}
		return nil
	}
}

// reviewFlags are the flags of "recover".
type reviewFlags struct {
	rootCause, remediation, approver string
	baselinesUpdated                 bool
}

func (a *app) recoverPhase(fs *flag.FlagSet) action {
	var f reviewFlags
	fs.StringVar(&f.rootCause, "root-cause", "", "the incident's root cause, identified and documented (required)")
	fs.StringVar(&f.remediation, "remediation", "", "how the control gap was remediated (required)")
	fs.BoolVar(&f.baselinesUpdated, "baselines-updated", false, "confirm behavioural baselines were updated to detect similar patterns (required)")
	fs.StringVar(&f.approver, "approver", "", "the risk owner who formally approves the return to primary (required)")
	return func(ctx context.Context, args []string) error {
		if err := wantArgs(args); err != nil {
			return err
		}
		if missing := f.missing(); len(missing) > 0 {
			return usageError("recover needs the post-incident review: missing %s", strings.Join(missing, ", "))
		}
		review := map[string]any{"root_cause": f.rootCause, "remediation": f.remediation,
			"baselines_updated": f.baselinesUpdated, "approver": f.approver}
		return a.postPhase(ctx, "/v1/recover", map[string]any{"review": review})
	}
}

// missing names the review flags not given.
func (f reviewFlags) missing() []string {
	var out []string
	for _, m := range []struct {
		flag string
		ok   bool
	}{
		{"--root-cause", strings.TrimSpace(f.rootCause) != ""},
		{"--remediation", strings.TrimSpace(f.remediation) != ""},
		{"--baselines-updated", f.baselinesUpdated},
		{"--approver", strings.TrimSpace(f.approver) != ""},
	} {
		if !m.ok {
			out = append(out, m.flag)
		}
	}
	return out
}
