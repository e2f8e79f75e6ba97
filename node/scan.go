package node

import (
	"fmt"
	"slices"

	"github.com/maso-runtime/maso/actors"
)

// ScanFinding is one finding of a dry run.
type ScanFinding struct {
	Detector string `json:"detector"`
	Control  string `json:"control"`
	Start    int    `json:"start"`
	End      int    `json:"end"`
	Evasion  string `json:"evasion,omitempty"`
}

// ScanResult is the answer of a dry run: "block", "flag" (sensitive data
// within clearance) or "pass".
type ScanResult struct {
	Verdict  string        `json:"verdict"`
	Channel  string        `json:"channel"`
	Findings []ScanFinding `json:"findings"`
}

// Channels the guardrails watch (PG-1.1).
var Channels = []string{"task", "message", "tool_result", "document"}

// Scan runs the guardrails and DLP on a text as they would see it on a
// channel, for a recipient cleared for classification, with no side effect:
// teams test their rules with it.
func (n *Node) Scan(text, channel, classification string) (ScanResult, error) {
	if channel == "" {
		channel = "message"
	}
	if !slices.Contains(Channels, channel) {
		return ScanResult{}, fmt.Errorf("node: unknown channel %q (want task, message, tool_result or document)", channel)
	}
	if classification == "" {
		classification = "internal"
	}
	if _, err := actors.ParseClassification(classification); err != nil {
		return ScanResult{}, err
	}
	verdict, fs, err := n.Sys.Scan(text, classification)
	if err != nil {
		return ScanResult{}, err
	}
	res := ScanResult{Verdict: verdict, Channel: channel, Findings: []ScanFinding{}}
	for _, f := range fs {
		res.Findings = append(res.Findings, ScanFinding{Detector: f.Detector, Control: f.Control, Start: f.Start, End: f.End, Evasion: f.Evasion})
	}
	return res, nil
}
