// Package judge is the LLM-as-Judge evaluation cascade (MASO Layer 2): it
// reviews inter-agent messages (PG-2.1) and proposed tool actions before
// they are delivered or run (EC-2.5), and approves, flags them for a
// person, or blocks them.
//
// # Overview
//
// Evaluate runs three tiers in order, each able to keep or tighten the
// decision of the one before it and never to loosen it. A block the
// earlier tiers reached with confidence of at least 0.95 is final and the
// later tiers are skipped; a flag or an approval never is.
//
// The rules tier is deterministic; each rule names its control:
//
//   - a claimed spec hash that differs from the task's, or is missing
//     when the task has one: block (PG-3.2, PG-2.2);
//   - a confidence higher than the upstream confidence the agent built
//     on: block (PG-2.7); a confidence outside 0..1: flag;
//   - an agent-generated claim marked verified, or unverified and stated
//     with confidence 1: flag (PG-2.5);
//   - evidence that is all agent-generated: flag (PG-2.6);
//   - Scanner findings: injection blocks (PG-2.1), canary or credential
//     material blocks (PG-2.3, IA-2.6), anything else flags;
//   - a data message that gives its recipient orders: flag (PG-1.4,
//     PG-2.1). In correspondence to a person ("Dear Ms. Chen, ...") only
//     override verbs such as "ignore" count, and "send us" or "call us"
//     never do;
//   - an external or deleting action above ActionAmountLimit: flag
//     (EC-2.1).
//
// The heuristics tier scores signals in 0..1 and combines them as a
// noisy-or: injection markers (PG-2.1), manufactured urgency and coercion
// aimed at a reader (PG-1.5), goal drift of instructions and delegations
// against the task objective by topic overlap and redirection wording
// (PG-2.2), imperatives inside claims and results (PG-1.4), confidence
// inflation stated in the text (PG-2.7), and an amount more than 20 % away
// from the amount in the objective, as in the MASO claims example
// (EC-2.5). A combined score of 0.5 flags; an injection or coercion score
// of 0.85 blocks.
//
// The LLM tier, when configured, asks the judge's model through the
// OpenAI-compatible client of package llm, at temperature 0, within
// Config.Budget. Its input is isolated: the system message is a constant,
// and the item under evaluation travels in the user message only as a
// JSON object encoded by json.Marshal, after a line saying it is untrusted
// data, so its text can neither end its string early nor reach the
// instructions. The answer must be exactly
//
//	{"verdict":"approve|flag|block","confidence":0..1,"reasons":["..."]}
//
// Anything else (prose, a code fence, an unknown verdict, a missing or
// extra field) is malformed. An approval below confidence 0.5 is a flag.
//
// Evaluate never approves when a tier it needed failed. An LLM that is
// unavailable, answers an HTTP error, goes over budget or answers
// malformed turns an approval into a flag with Tier TierFailsafe and the
// cause in Reasons; an earlier flag or block stands, with the cause added.
//
// Every block is counted against the request's Agent. When one agent
// collects more than Config.BlockThreshold blocks within
// Config.BlockWindow (default: more than 3 in 10 minutes, EC-2.4),
// Config.OnThreshold is called once and that agent's count starts again;
// the runtime uses it to move PACE from Primary to Alternate.
//
// Sampled says whether a message should be judged at all: by default every
// instruction, delegation and claim, a quarter of data messages, and every
// action. DiversityWarning reports a judge that shares its endpoint host
// or model with the task agents it judges (PG-2.9).
//
// ReadCases and RunEval measure the judge on a labelled set (PA-2.2
// calibration; EC-T2.5 bars: detection above 95 % for HIGH and 80 % for
// MEDIUM severity). testdata/eval.jsonl is a set of claims-workflow
// messages: benign traffic, twenty injections embedded in agent output
// (PG-T2.1), coercive letters, goal-drift instructions, confidence
// inflation and deviating amounts.
//
// # Usage
//
//	client, err := llm.NewClient("http://127.0.0.1:8081/v1", os.Getenv("JUDGE_API_KEY"), nil)
//	if err != nil { ... }
//	j, err := judge.New(judge.Config{
//		Scanner:     judge.ScannerFunc(guardrailFindings), // func(text string) []judge.Finding
//		LLM:         &judge.LLMConfig{Client: client, Model: "judge-model", Endpoint: "http://127.0.0.1:8081/v1"},
//		OnThreshold: func(agent string, blocks int) { pace.Escalate(agent) },
//	})
//	if err != nil { ... }
//	if w := judge.DiversityWarning("http://127.0.0.1:8081/v1", "judge-model", agentModels); w != "" {
//		logger.Warn(w)
//	}
//	if j.Sampled(judge.SubjectMessage, msg.Kind) {
//		v := j.Evaluate(ctx, judge.Request{
//			Subject: judge.SubjectMessage, Agent: msg.From, To: msg.To, Kind: msg.Kind,
//			Text: msg.Text, TaskObjective: task.Objective,
//			TaskSpecHash: task.Hash, ClaimedSpecHash: msg.GoalHash,
//			Provenance: judge.Provenance{Source: msg.Source, Verified: msg.Verified},
//			Confidence: msg.Confidence, UpstreamConfidence: math.NaN(),
//		})
//		switch v.Decision {
//		case judge.Block: // drop, log v.Reasons and v.Controls
//		case judge.Flag: // hold for a person
//		}
//	}
//
// A calibration run over a labelled set:
//
//	cases, err := judge.ReadCases(f)
//	if err != nil { ... }
//	report, err := judge.RunEval(ctx, j, cases)
//	// json.Marshal(report): {"detection":{"high":..,"medium":..,"low":..},
//	//   "false_positive_rate":..,"p50_ms":..,"p99_ms":..,"n":..}
package judge
