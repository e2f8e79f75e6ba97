package cli

import (
	"context"
	"flag"
	"fmt"
	"net/url"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/maso-runtime/maso/node"
)

func (a *app) health(fs *flag.FlagSet) action {
	return func(ctx context.Context, args []string) error {
		if err := wantArgs(args); err != nil {
			return err
		}
		var h node.Health
		if printed, err := a.show(ctx, "/v1/health", &h); printed || err != nil {
			return err
		}
		head := h.AuditHead
		if head == "" {
			head = "(none)"
		}
		a.keyValues([][2]string{
			{"status", h.Status}, {"phase", h.Phase}, {"node", h.Node}, {"trust domain", h.TrustDomain},
			{"agents", fmt.Sprint(h.Agents)}, {"audit", fmt.Sprintf("%d entries, head %s", h.AuditEntries, head)},
			{"uptime", (time.Duration(h.UptimeSec * float64(time.Second))).Round(time.Second).String()},
		})
		return nil
	}
}

func (a *app) agentsList(fs *flag.FlagSet) action {
	return func(ctx context.Context, args []string) error {
		if err := wantArgs(args); err != nil {
			return err
		}
		var list struct {
			Agents []node.AgentInfo `json:"agents"`
		}
		if printed, err := a.show(ctx, "/v1/agents", &list); printed || err != nil {
			return err
		}
		tw := tabwriter.NewWriter(a.stdout, 0, 8, 2, ' ', 0)
		fmt.Fprintln(tw, "NAME\tROLE\tSTATE\tSPIFFE-ID\tSERIAL\tNOT-AFTER")
		for _, ag := range list.Agents {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", ag.Name, dash(ag.Role), ag.State, ag.SPIFFEID,
				dash(ag.CertSerial), formatTime(ag.CertNotAfter))
		}
		return tw.Flush()
	}
}

func (a *app) agentsGet(fs *flag.FlagSet) action {
	return func(ctx context.Context, args []string) error {
		if err := wantArgs(args, "NAME"); err != nil {
			return err
		}
		var ag node.AgentInfo
		if printed, err := a.show(ctx, "/v1/agents/"+url.PathEscape(args[0]), &ag); printed || err != nil {
			return err
		}
		a.keyValues([][2]string{
			{"name", ag.Name}, {"role", dash(ag.Role)}, {"state", ag.State}, {"spiffe id", ag.SPIFFEID},
			{"cert serial", dash(ag.CertSerial)}, {"cert not after", formatTime(ag.CertNotAfter)},
			{"node", ag.Node}, {"behaviour", ag.Behaviour}, {"tools", dash(strings.Join(ag.Tools, ", "))},
			{"clearance", ag.Clearance},
		})
		return nil
	}
}

// keyValues prints aligned "key: value" lines.
func (a *app) keyValues(kv [][2]string) {
	tw := tabwriter.NewWriter(a.stdout, 0, 8, 1, ' ', 0)
	for _, p := range kv {
		fmt.Fprintf(tw, "%s:\t%s\n", p[0], p[1])
	}
	tw.Flush()
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func formatTime(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.UTC().Format(time.RFC3339)
}
