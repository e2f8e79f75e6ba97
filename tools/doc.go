// Package tools holds what the runtime knows about tools before it runs
// one: signed manifests, their argument and result schemas, the approved
// catalog, and the rate limits and blast-radius caps that bound how much
// an agent can do with them.
//
// # Overview
//
// A [Manifest] declares a tool: its JSON Schema (draft 2020-12) for
// arguments and, optionally, for results; its [Effect] (read, write,
// delete, execute, external), reversibility and compensating tool; its
// target (internal or external); the data class it touches; the
// permissions it needs; its time limit; and where it runs ("go"
// in-process, "process" or "wasm" in a sandbox, or "mcp" on an
// allow-listed MCP server, with hashes pinning the module, the executable
// or the advertised tool description).
//
// Manifests are signed by the platform, never by agents (SC-2.2). The
// signature is Ed25519 over [SigningDomain] followed by the manifest's
// [Canonical] bytes: JSON with sorted keys and no insignificant
// whitespace, so formatting never changes the hash, while any change of
// content does. [Verify] recomputes the canonical bytes from the manifest
// itself, so a field changed after signing is caught even if the stored
// bytes were left alone.
//
// A [Catalog] is the set of approved tools (SC-1.3). [Catalog.Approve]
// verifies a signed manifest, compiles its schemas and pins its hash; the
// first approval of a name wins. At every invocation the gate presents the
// manifest as it is now to [Catalog.Check], which verifies the signature
// again and compares the hash with the pinned one: a manifest changed
// after approval is refused with [ErrManifestChanged] even when it carries
// a valid signature (a rug-pull). [Manifest.VerifyArtifacts] and
// [MCPRuntime.VerifyDescription] check the files and descriptions the
// manifest pins (SC-2.4).
//
// [Tool.ValidateArgs] checks arguments against the schema and names every
// failing field and why:
//
//	tools: schema violation: pay_claim: argument "amount": must be >= 0
//	tools: schema violation: lookup_policy: argument "policy_number": missing property
//
// Schemas are self-contained: references to other documents are never
// loaded, so what is enforced is exactly what was signed. Formats such as
// "date" are asserted, not merely annotated.
//
// [Limiter] is the per-agent sliding-window rate limit (EC-1.3, 100 calls
// an hour by default). [Blast] holds the blast-radius caps (EC-2.3) on
// records, money and external calls, per agent per task and per agent over
// a sliding window; [Blast.Reserve] records a call only if it fits every
// cap and reports the highest fraction of a cap in use, which the action
// classifier escalates above one half. Both take an injectable clock and
// are safe for concurrent use.
//
// # Files
//
// A manifest is written in YAML or JSON and read with [LoadManifest],
// strictly: unknown fields, duplicate keys and extra documents are errors
// that name the offender. A signed manifest is stored as
// <name>.manifest.json:
//
//	{"manifest": {...}, "signature": "<base64>", "key_id": "<16 hex>"}
//
// [GenerateKey] writes the platform's signing key pair,
// tool-signing.key (PKCS #8 PEM, mode 0600) and tool-signing.pub (PKIX
// PEM). A key id is the first 16 hex digits of the SHA-256 of the public
// key ([KeyID]).
//
// # Usage
//
//	// Platform side, at change-control time:
//	key, _ := tools.LoadPrivateKey("keys/tool-signing.key")
//	m, _ := tools.LoadManifest("pay_claim.yaml")
//	sm, _ := tools.Sign(m, key)
//	_ = tools.WriteSigned("manifests/pay_claim.manifest.json", sm)
//
//	// Runtime side, at start:
//	pub, _ := tools.LoadPublicKey("keys/tool-signing.pub")
//	cat := tools.NewCatalog(tools.Keys(pub))
//	sms, _ := tools.ReadSignedDir("manifests")
//	for _, sm := range sms {
//		if err := cat.Approve(sm); err != nil {
//			return err // unsigned, tampered or invalid: refuse to start
//		}
//	}
//
//	// At every call:
//	current, _ := tools.ReadSigned("manifests/pay_claim.manifest.json")
//	tool, err := cat.Check("pay_claim", current)
//	if err == nil {
//		err = tool.ValidateArgs(args)
//	}
package tools
