package tools

import "errors"

// Sentinel errors. Every error the package returns wraps one of them, so
// callers can match with [errors.Is].
var (
	// ErrBadSignature: a manifest is unsigned, signed by an unknown key, or
	// its signature, hash or canonical bytes do not match (SC-2.2).
	ErrBadSignature = errors.New("tools: bad manifest signature")
	// ErrManifestChanged: a manifest differs from the one approved under
	// the same name (a rug-pull, SC-2.2).
	ErrManifestChanged = errors.New("tools: manifest changed since approval")
	// ErrUnknownTool: no manifest with that name was approved (SC-1.3).
	ErrUnknownTool = errors.New("tools: unknown tool")
	// ErrSchema: arguments or a result do not match the manifest's JSON
	// Schema.
	ErrSchema = errors.New("tools: schema violation")
	// ErrInvalidManifest: a manifest is malformed or incomplete.
	ErrInvalidManifest = errors.New("tools: invalid manifest")
	// ErrIntegrity: a tool artefact (WebAssembly module, executable, MCP
	// tool description) does not match the hash its manifest pins (SC-2.4).
	ErrIntegrity = errors.New("tools: integrity check failed")
	// ErrKey: a signing key file is missing, malformed or too permissive.
	ErrKey = errors.New("tools: signing key")
	// ErrRateLimited: an agent exceeded its call rate (EC-1.3).
	ErrRateLimited = errors.New("tools: rate limited")
	// ErrCapExceeded: a call would take an agent past a blast-radius cap
	// (EC-2.3).
	ErrCapExceeded = errors.New("tools: blast-radius cap exceeded")
)
