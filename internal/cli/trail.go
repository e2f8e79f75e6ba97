package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/maso-runtime/maso/actors"
)

// printTask prints a task's state, its trail (one line per entry) and its
// result or error.
func (a *app) printTask(v actors.TaskView) {
	w := a.stdout
	fmt.Fprintf(w, "task %s: %s (workflow %s, entry %s)\n", v.ID, v.State, v.Workflow, v.To)
	if v.State.Terminal() {
		fmt.Fprintf(w, "finished after %v\n", v.UpdatedAt.Sub(v.CreatedAt).Round(time.Microsecond))
	}
	if len(v.Trail) > 0 {
		fmt.Fprintln(w, "trail:")
		tw := tabwriter.NewWriter(w, 0, 8, 2, ' ', 0)
		for _, e := range v.Trail {
			fmt.Fprintln(tw, trailLine(e))
		}
		tw.Flush()
	}
	if v.Error != "" {
		fmt.Fprintf(w, "error: %s\n", v.Error)
	}
	if len(v.Result) > 0 {
		fmt.Fprintln(w, "result:")
		printResult(w, v.Result)
	}
}

// trailLine formats an entry as tab-separated columns: time, from → to,
// kind/payload type, verdict, controls, reason.
func trailLine(e actors.TrailEntry) string {
	route := dash(e.From) + " → " + dash(e.To)
	what := e.Type
	if e.Kind != "" {
		what = e.Kind
		if e.PayloadType != "" {
			what += "/" + e.PayloadType
		}
	}
	if e.Tool != "" {
		route = "tool " + e.Tool
		if e.From != "" {
			route = e.From + " → " + route
		}
	}
	reason := e.Reason
	if e.Guard != "" && reason != "" {
		reason = e.Guard + ": " + reason
	}
	line := fmt.Sprintf("  %s\t%s\t%s\t%s\t%s", e.Time.UTC().Format("15:04:05.000"), route, what,
		e.Verdict, dash(strings.Join(e.Controls, ",")))
	if reason != "" {
		line += "\t" + reason
	}
	return line
}

// printResult prints a result object one field a line, with multi-line
// strings (such as a letter) after the other fields, verbatim; any other
// result is printed as indented JSON.
func printResult(w io.Writer, raw json.RawMessage) {
	var fields map[string]json.RawMessage
	if json.Unmarshal(raw, &fields) != nil {
		var buf bytes.Buffer
		if json.Indent(&buf, raw, "  ", "  ") != nil {
			buf.Reset()
			buf.Write(raw)
		}
		fmt.Fprintf(w, "  %s\n", buf.String())
		return
	}
	keys := make([]string, 0, len(fields))
	for k := range fields {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var blocks []string
	for _, k := range keys {
		var s string
		if json.Unmarshal(fields[k], &s) == nil && strings.Contains(s, "\n") {
			blocks = append(blocks, k+":\n"+s)
			continue
		}
		if json.Unmarshal(fields[k], &s) != nil {
			s = string(fields[k])
		}
		fmt.Fprintf(w, "  %s: %s\n", k, s)
	}
	for _, b := range blocks {
		fmt.Fprintf(w, "\n%s", b)
		if !strings.HasSuffix(b, "\n") {
			fmt.Fprintln(w)
		}
	}
}
