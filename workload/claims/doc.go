// Package claims is the bundled insurance-claims workload, the worked
// example of the MASO Tier 2 (managed) guidance: three agents with
// deterministic Go behaviours that register a claim, assess its coverage and
// draft the letter to the claimant. No model is needed.
//
// # Overview
//
// A claim ([Claim]) enters as the instruction of a task in the "claims"
// workflow and passes through three agents:
//
//   - intake ([BehaviourIntake]) validates the claim, naming every bad
//     field ([FieldError]), grades its [Severity] (low below $5,000, medium
//     below $50,000, high from there), classifies it (health claims are
//     restricted data, the rest confidential; [Classify]), registers it with
//     the register_claim tool and sends the [Registered] claim to analysis
//     as a claim message with tool provenance and confidence 1.
//   - analysis ([BehaviourAnalysis]) accepts only that claim message: any
//     other kind is data and is refused (PG-1.4). It reads the [Policy] with
//     lookup_policy and decides coverage with [Assess]: the policy must be
//     active, cover the claim type and have been in force on the incident
//     date. The preliminary amount is min(claimed - deductible, limit),
//     floored at 0 ([PreliminaryAmount]). The [Assessment] goes to
//     communication as agent-generated, unverified content with a
//     confidence below 1 (see [ConfidenceCovered]).
//   - communication ([BehaviourCommunication]) drafts a plain-text letter
//     ([DraftLetter]), stages it with stage_letter and completes the task
//     with the claim id, letter id, decision, amount and letter.
//
// The tools write to in-memory stores held by a [Workload], which is safe
// for concurrent use: [Workload.Claim] reads the claims registry and
// [Workload.Letters] the staged letters. Tools take JSON arguments and
// refuse unknown fields ([ErrToolArgs]):
//
//	register_claim (write)  {"claim": Claim, "severity": "low", "classification": "confidential"} -> Registered
//	lookup_policy  (read)   {"policy_number": "POL-100001"} -> Policy
//	stage_letter   (write)  {"claim_id": "CLM-000001", "to": "Alice Moreau", "email": "...", "body": "..."} -> {"letter_id": "LTR-000001"}
//
// The policy table ([Policies]) holds eight fixed policies, among them a
// lapsed one and one valid for a single year, so every decision occurs.
// [Synthetic] generates deterministic claims against it for load tests.
//
// [ConfigYAML] (claims.yaml) is the workload's system configuration; read
// it first. [DefaultConfig] parses it.
//
// # Usage
//
//	w := claims.New()
//	cfg, err := claims.DefaultConfig()
//	if err != nil {
//		log.Fatal(err)
//	}
//	// Hand cfg, w.Behaviours() and w.Tools() to the runtime, then submit
//	// tasks to the "claims" workflow with a claim as the payload, such as
//	// a synthetic one:
//	payload, err := json.Marshal(claims.Synthetic(1, 0))
//
// When a task completes, its result names the claim and the staged letter;
// both can be read back:
//
//	r, ok := w.Claim("CLM-000001")
//	letters := w.Letters()
package claims
