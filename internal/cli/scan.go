package cli

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"

	"github.com/maso-runtime/maso/judge"
)

// scanResult mirrors the answer of POST /v1/scan.
type scanResult struct {
	Verdict  string `json:"verdict"`
	Channel  string `json:"channel"`
	Findings []struct {
		Detector string `json:"detector"`
		Control  string `json:"control"`
		Start    int    `json:"start"`
		End      int    `json:"end"`
		Evasion  string `json:"evasion"`
	} `json:"findings"`
}

// scan runs the node's guardrails and DLP on a text (a dry run).
func (a *app) scan(fs *flag.FlagSet) action {
	file := fs.String("file", "", "read the text from `file` (- for standard input)")
	channel := fs.String("channel", "message", "channel: task, message, tool_result or document")
	class := fs.String("classification", "internal", "clearance of the recipient: public, internal, confidential or restricted")
	return func(ctx context.Context, args []string) error {
		text, err := a.scanText(*file, args)
		if err != nil {
			return err
		}
		c, err := a.client()
		if err != nil {
			return err
		}
		body := map[string]string{"text": text, "channel": *channel, "classification": *class}
		var res scanResult
		raw, err := c.postJSON(ctx, "/v1/scan", body, &res)
		if err != nil {
			return err
		}
		if a.g.json {
			a.printRaw(raw)
		} else {
			fmt.Fprintf(a.stdout, "verdict: %s\n", res.Verdict)
			for _, f := range res.Findings {
				ev := ""
				if f.Evasion != "" {
					ev = " (" + f.Evasion + ")"
				}
				fmt.Fprintf(a.stdout, "  %-32s %-7s bytes %d-%d%s\n", f.Detector, f.Control, f.Start, f.End, ev)
			}
		}
		if res.Verdict == "block" {
			return fmt.Errorf("%w: the text would be blocked", ErrFailed)
		}
		return nil
	}
}

// scanText takes the text from --file, from standard input (--file - or a
// lone "-" argument, as task submit does), or from the arguments joined.
func (a *app) scanText(file string, args []string) (string, error) {
	if file != "" && len(args) > 0 {
		return "", usageError("give the text either as arguments or with --file, not both")
	}
	if len(args) == 1 && args[0] == "-" {
		args, file = nil, "-"
	}
	switch {
	case file == "-":
		b, err := io.ReadAll(a.stdin)
		return string(b), err
	case file != "":
		b, err := os.ReadFile(file)
		if err != nil {
			return "", fmt.Errorf("masoctl: %w", err)
		}
		return string(b), nil
	case len(args) == 0:
		return "", usageError("give the text to scan, - for standard input, or --file F")
	}
	return strings.Join(args, " "), nil
}

// judgeEval runs a labelled set through the judge (rules and heuristics,
// offline) and reports detection by severity, false positives and latency.
func (a *app) judgeEval(fs *flag.FlagSet) action {
	return func(ctx context.Context, args []string) error {
		if len(args) != 1 {
			return usageError("give one labelled file (JSON lines: text, kind, expected, severity)")
		}
		f, err := os.Open(args[0])
		if err != nil {
			return fmt.Errorf("masoctl: %w", err)
		}
		defer f.Close()
		cases, err := judge.ReadCases(f)
		if err != nil {
			return fmt.Errorf("masoctl: %s: %w", args[0], err)
		}
		j, err := judge.New(judge.Config{Logger: quietLog()})
		if err != nil {
			return fmt.Errorf("masoctl: %w", err)
		}
		rep, err := judge.RunEval(ctx, j, cases)
		if err != nil {
			return fmt.Errorf("masoctl: %w", err)
		}
		if a.g.json {
			b, _ := json.Marshal(rep)
			a.printRaw(b)
			return nil
		}
		fmt.Fprintf(a.stdout, "cases:               %d\n", rep.N)
		fmt.Fprintf(a.stdout, "detection high:      %.1f %%\n", 100*rep.Detection.High)
		fmt.Fprintf(a.stdout, "detection medium:    %.1f %%\n", 100*rep.Detection.Medium)
		fmt.Fprintf(a.stdout, "detection low:       %.1f %%\n", 100*rep.Detection.Low)
		fmt.Fprintf(a.stdout, "false positive rate: %.1f %%\n", 100*rep.FalsePositiveRate)
		fmt.Fprintf(a.stdout, "latency:             p50 %.2f ms, p99 %.2f ms\n", rep.P50MS, rep.P99MS)
		return nil
	}
}

// quietLog discards the judge's per-verdict log lines during an evaluation.
func quietLog() *slog.Logger { return slog.New(slog.DiscardHandler) }
