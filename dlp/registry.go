package dlp

// MASO controls the detectors enforce.
const (
	ctrlData    = "DP-2.1" // DLP on the bus: PII, financial and health data
	ctrlSecrets = "IA-2.6" // secrets never in messages or logs
	ctrlLeak    = "PG-2.3" // system-prompt fragments and canaries
	ctrlInput   = "PG-1.1" // input guardrails against injection
	ctrlPrompt  = "PG-1.2" // system prompts not readable over the bus
)

// Detector names that the Scanner itself refers to.
const (
	detCanary       = "canary"
	detPrompt       = "system_prompt"
	detHighEntropy  = "high_entropy_secret"
	detHiddenMarkup = "injection.hidden_markup"
)

// detector is one detector: its name, the control it enforces, the
// classification a match implies, and the function that finds matches in
// a view (appending to out).
type detector struct {
	name    string
	control string
	class   string
	find    func(v *view, out []span) []span
}

// alwaysBlocks reports detectors whose matches cannot be made redactable:
// leaks of system prompts and canaries, and injection.
func (d detector) alwaysBlocks() bool {
	return d.control == ctrlLeak || d.control == ctrlInput || d.control == ctrlPrompt
}

// isInjection reports the input-guardrail detectors.
func (d detector) isInjection() bool { return d.control == ctrlInput || d.control == ctrlPrompt }

// detectorInfo lists every detector in the order they run. Canary and
// system-prompt detectors have no find function here: New builds them
// from the Config.
var detectorInfo = []detector{
	{"email", ctrlData, ClassConfidential, findEmails},
	{"phone", ctrlData, ClassConfidential, findPhones},
	{"national_id.us_ssn", ctrlData, ClassConfidential, findSSNs},
	{"national_id.uk_nino", ctrlData, ClassConfidential, findNINOs},
	{"national_id.fr_insee", ctrlData, ClassConfidential, findINSEE},
	{"card", ctrlData, ClassConfidential, findCards},
	{"iban", ctrlData, ClassConfidential, findIBANs},
	{"financial", ctrlData, ClassConfidential, findFinancial},
	{"health", ctrlData, ClassRestricted, findHealth},
	{"aws_access_key", ctrlSecrets, ClassRestricted, findAWSAccessKeys},
	{"aws_secret_key", ctrlSecrets, ClassRestricted, findAWSSecretKeys},
	{"private_key", ctrlSecrets, ClassRestricted, findPrivateKeys},
	{"jwt", ctrlSecrets, ClassRestricted, findJWTs},
	{"github_token", ctrlSecrets, ClassRestricted, findGitHubTokens},
	{"slack_token", ctrlSecrets, ClassRestricted, findSlackTokens},
	{detHighEntropy, ctrlSecrets, ClassRestricted, findKeyValueSecrets},
	{detCanary, ctrlLeak, ClassRestricted, nil},
	{detPrompt, ctrlLeak, ClassRestricted, nil},
	{"injection.instruction_override", ctrlInput, "", instructionOverride.find},
	{"injection.role_play", ctrlInput, "", rolePlay.find},
	{"injection.dan", ctrlInput, "", findDAN},
	{"injection.tool_enumeration", ctrlInput, "", toolEnumeration.find},
	{"injection.prompt_extraction", ctrlPrompt, "", promptExtraction.find},
	{detHiddenMarkup, ctrlInput, "", findHiddenMarkup},
}

// info returns the registry entry of a detector name.
func info(name string) detector {
	for _, d := range detectorInfo {
		if d.name == name {
			return d
		}
	}
	return detector{name: name}
}

// Detectors returns the names of all detectors, in the order they run.
func Detectors() []string {
	names := make([]string, len(detectorInfo))
	for i, d := range detectorInfo {
		names[i] = d.name
	}
	return names
}
