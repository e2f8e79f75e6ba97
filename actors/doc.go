// Package actors is the agent runtime: the SDK developers write agents
// against, the signed bus between agents, the receiver pipeline that guards it,
// the orchestrator and the host actor that wraps each behaviour.
//
// # Overview
//
// Every agent is a protoactor-go actor whose only way to reach anything is the
// [Context] handed to its [Behaviour]. Every message an agent sends is an
// envelope signed with the agent's own Ed25519 key (its Non-Human Identity,
// issued by an [identity.Issuer]); every message an agent receives has passed
// the receiver [Pipeline] installed as middleware on its actor:
//
//	authenticate   payload limit (PG-1.1); signer certificate chains to the
//	               trust bundle, is within its validity and not revoked
//	               (IA-2.3, IA-2.2); Ed25519 signature over the exact bytes
//	               received (IA-2.3); canonical header; signer == sender (IA-1.2)
//	freshness      not expired, not issued in the future (IA-2.3)
//	replay         message id not seen before by this recipient (IA-2.3)
//	graph          sender may send this kind to this recipient (IA-1.4, PG-1.4)
//	delegation     delegation chain consistent (IA-2.4)
//	clearance      classification within the recipient's clearance (DP-1.2)
//	extra guards   DLP, injection guardrails, judge (later)
//	record         decision-log entry (OB-1.2), verdict counters, task trail
//
// A message that fails any stage never reaches a behaviour; the rejection is a
// decision-log entry naming the guard, the controls and the reason.
//
// # Usage
//
// A behaviour is a function of the context and a verified [Message]:
//
//	func greet(ctx actors.Context, m actors.Message) error {
//		if _, ok := m.Instruction(); !ok {
//			return nil // data is data, never an instruction (PG-1.4)
//		}
//		return ctx.Send("echo", actors.KindData, map[string]string{"hello": "echo"})
//	}
//
// Behaviours are registered by name with a [BehaviourFactory] and named by
// agents in the system config. The node package starts a whole node in one
// call; see the package example.
//
// # Messages and kinds
//
// The kind of a message (data, instruction, claim, delegation, tool_call,
// tool_result, verdict, control) is part of the signed header. Instructions
// come from the orchestrator (the task) or along a graph edge that allows
// them; [Message.Instruction] returns the payload only for instructions and
// delegations.
//
// # Delegation
//
// [Context.Delegate] sends a delegation carrying its chain of delegators,
// originator first. While handling it, the worker's tool scope is the
// intersection of its own scope and every delegator's (IA-2.4).
//
// # Requests
//
// [Context.Request] blocks the calling agent until the reply arrives or the
// timeout passes. The reply goes through the same pipeline before the caller
// sees it. Two agents that Request each other at the same moment wait for
// each other until the timeout: use Send for conversations in both directions.
//
// # Concurrency
//
// An agent handles one message at a time. Its Context is valid only during
// the Receive call it was given to.
package actors
