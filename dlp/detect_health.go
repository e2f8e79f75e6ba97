package dlp

// Health vocabulary. Treatments and the phrases in healthAlone are health
// data about someone by themselves; conditions only with a medical
// context word nearby, so that "Cancer Research fundraiser" or "economic
// depression" do not count.
var (
	healthAlone = newKeywords(
		"chemotherapy", "radiotherapy", "antiretroviral", "dialysis", "hiv positive", "hiv-positive",
		"hiv status", "antidepressant", "antipsychotic", "methadone", "medical record", "medical history",
		"insulin-dependent",
	)
	healthConditions = newKeywords(
		"hiv", "aids-related", "cancer", "tumour", "tumor", "leukemia", "leukaemia", "lymphoma", "diabetes",
		"diabetic", "insulin", "hepatitis", "tuberculosis", "epilepsy", "asthma", "dementia", "alzheimer",
		"parkinson", "schizophrenia", "bipolar", "depression", "anxiety disorder", "ptsd", "adhd",
		"autism", "pregnant", "pregnancy", "miscarriage", "fracture", "fractured", "concussion",
		"whiplash", "stroke", "heart attack", "multiple sclerosis", "hypertension", "opioid",
	)
	healthContext = []string{
		"diagnosis", "diagnosed", "prescription", "prescribed", "patient", "medication", "dosage",
		"treatment", "treated", "clinic", "hospital", "physician", "doctor", "gp ", "surgery", "symptoms",
		"therapy", "medical", "icd", "mg ", "oncology", "oncologist", "psychiatric", "psychiatrist", "consultant", "nurse",
	}
)

// findHealth finds health data: treatments and diagnoses named outright,
// medical conditions within 100 bytes of a medical context word, and
// ICD-10 codes (A00-Z99 with an optional subcode) within 60 bytes of
// "ICD", "diagnosis" or "diagnosed".
func findHealth(v *view, out []span) []span {
	healthAlone.each(v, func(i int, w string) {
		if termEnd(v.lower, i+len(w)) {
			out = append(out, span{i, i + len(w)})
		}
	})
	healthConditions.each(v, func(i int, w string) {
		if termEnd(v.lower, i+len(w)) && hasWord(around(v.lower, i, i+len(w), 100, 100), healthContext) {
			out = append(out, span{i, i + len(w)})
		}
	})
	return findICD10(v, out)
}

// termEnd reports whether a term ends at j, allowing a plural or
// possessive s.
func termEnd(s string, j int) bool {
	if j < len(s) && s[j] == 's' {
		j++
	}
	return boundaryAfter(s, j)
}

// icdContext are words that make a code-shaped token an ICD-10 code.
var icdContext = []string{"icd", "diagnosis", "diagnosed", "diagnostic code"}

// findICD10 finds ICD-10 codes (a letter other than U, two digits, an
// optional dot and up to four more characters) near an ICD context word.
func findICD10(v *view, out []span) []span {
	s := v.s
	for _, t := range v.tokens() {
		i := t.start
		if t.end-i != 3 || !isUpper(s[i]) || s[i] == 'U' || !isDigit(s[i+1]) || !isDigit(s[i+2]) {
			continue
		}
		j := i + 3
		if j+1 < len(s) && s[j] == '.' && isAlnum(s[j+1]) {
			j = runEnd(s, j+1, isAlnum)
			if j-i > 8 {
				continue
			}
		}
		if boundaryAfter(s, j) && hasWord(around(v.lower, i, j, 60, 30), icdContext) {
			out = append(out, span{i, j})
		}
	}
	return out
}
