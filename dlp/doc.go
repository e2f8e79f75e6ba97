// Package dlp finds sensitive data and injection attempts in the text that
// agents exchange: the bus DLP and input guardrails of the runtime.
//
// # Overview
//
// A Scanner looks at every text twice over: the text as written, after
// normalisation, and every layer decoded from it. Normalisation (Normalize)
// applies Unicode NFKC, folds Cyrillic, Greek and other look-alikes and
// Latin diacritics to ASCII (a documented table, confusables.go), folds
// decimal digits of every script, and removes zero-width, bidi and other
// invisible characters. Decoding then looks, recursively up to
// Config.MaxDepth levels (default 3), for base64 (standard and URL
// alphabets, padded or not; runs of at least 16 characters that decode to
// mostly printable text), hex (at least 16 digits, or \xNN escapes), URL
// percent-encoding, HTML character references and text hidden in Unicode
// tag characters. A finding in a decoded layer is reported at the span of
// the original text it was decoded from, with the layer's encoding chain
// ("base64", "url>base64") and the evasion technique.
//
// The detectors and the controls they serve:
//
//   - DP-2.1, DLP on the bus (class "confidential" unless noted): "email",
//     "phone" (E.164, US, UK and continental formats, at least 9 digits),
//     "national_id.us_ssn" (never-issued ranges excluded),
//     "national_id.uk_nino", "national_id.fr_insee" (key checked), "card"
//     (issuer prefix and Luhn), "iban" (country length and mod-97),
//     "financial" (account, routing and sort-code numbers, salaries and
//     balances with amounts, by context) and "health" (class
//     "restricted"; treatments, conditions near medical context, ICD-10
//     codes near "ICD" or "diagnosis").
//   - IA-2.6, secrets never in messages (class "restricted"):
//     "aws_access_key", "aws_secret_key" (near "aws" or "secret"),
//     "private_key" (PEM blocks), "jwt" (header checked for "alg"),
//     "github_token", "slack_token" and "high_entropy_secret" (a value of
//     24+ characters and 4+ bits of entropy per character assigned to a
//     key named like token, secret or password).
//   - PG-2.3 and PG-1.2, system-prompt leakage (class "restricted"):
//     "canary" for Config.Canaries, found in any case and with separators
//     between their characters, and "system_prompt" for fragments of
//     Config.Prompts.
//   - PG-1.1, input guardrails (no class): "injection.instruction_override",
//     "injection.role_play", "injection.dan", "injection.tool_enumeration",
//     "injection.hidden_markup" (instructions in HTML comments, invisible
//     elements, script elements, markdown titles, tag characters and runs
//     of zero-width characters), and, for PG-1.2,
//     "injection.prompt_extraction" (requests for a system prompt).
//
// The detectors prefer precision: context words are required where a
// pattern alone would match ordinary numbers or prose, and checksums are
// verified where a format has one. Findings of detectors named in
// Config.Redact are marked Redactable and can be removed with Redact
// ("permitted-but-sensitive" data); all others block. Canary, prompt and
// injection findings always block.
//
// ScanTask scans a message together with a bounded window of the earlier
// messages of its task, so that a payload split over several messages is
// found when its last part arrives (Evasion "split"). Windows are kept
// for at most Config.MaxTasks tasks, least recently used dropped first,
// each at most Config.Window bytes.
//
// # Limits
//
// Base64 runs shorter than 16 characters are not decoded, so a payload of
// about 10 bytes or less encoded on its own (a bare SSN) passes; with its
// label ("SSN 123-45-6789") it is long enough. Hex is decoded when written
// contiguously or as \xNN escapes, not as space-separated bytes. A URL or
// HTML layer keeps 128 bytes of context either side of its escapes. The
// health and financial detectors need context words and miss bare
// values. ScanTask rescans the task window with every message, so it costs
// about (Window + len(text)) / len(text) times a Scan of the message.
//
// # Usage
//
// Build one Scanner per node and scan every input channel with it: user
// input, inter-agent messages, retrieved content and tool output.
//
//	s := dlp.New(dlp.Config{
//		Canaries: []string{"CANARY-7f3a9c2e51"},
//		Redact:   map[string]bool{"email": true, "phone": true},
//	})
//	fs := s.ScanTask(taskID, payload)
//	switch {
//	case dlp.Blocks(fs):
//		// refuse the message; report fs (detector, control, evasion)
//	case len(fs) > 0:
//		payload = dlp.Redact(payload, fs)
//	}
//	class := dlp.HighestClass(fs) // compare with the recipient's clearance
//
// Call Forget when a task ends. Findings carry spans and detector names,
// never the matched text, so they can be logged without leaking what they
// found (IA-2.6).
package dlp
