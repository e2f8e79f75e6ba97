package judge

import "errors"

// Errors returned by New, ReadCases and RunEval. Evaluate returns no error:
// a failure inside the cascade is a Verdict with Tier TierFailsafe.
var (
	// ErrInvalidConfig reports a Config that New refuses: a negative
	// duration or threshold, a sampling rate outside 0..1, or an LLM tier
	// without a client or a model.
	ErrInvalidConfig = errors.New("judge: invalid configuration")
	// ErrInvalidCase reports an evaluation case ReadCases cannot accept;
	// the returned error names the line.
	ErrInvalidCase = errors.New("judge: invalid evaluation case")
	// ErrNoCases reports an evaluation set without any case.
	ErrNoCases = errors.New("judge: no evaluation cases")
)

// Causes of a failed LLM tier. They appear, wrapped, in the Reasons of a
// failsafe verdict and in the judge's log.
var (
	errLLMUnavailable = errors.New("judge: llm tier unavailable")
	errLLMOverBudget  = errors.New("judge: llm tier over its latency budget")
	errLLMMalformed   = errors.New("judge: malformed llm answer")
)
