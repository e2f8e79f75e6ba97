package judge

import "strings"

// Sampled reports whether a message of this kind should be judged now. It
// is always true for actions and for kinds without a sampling rate; for the
// others it draws from Config.Rand. Evaluate does not sample: the caller
// asks Sampled first and evaluates when it says so.
func (j *Judge) Sampled(subject Subject, kind string) bool {
	if subject == SubjectAction {
		return true
	}
	rate, ok := j.sampling[strings.ToLower(kind)]
	switch {
	case !ok || rate >= 1:
		return true
	case rate <= 0:
		return false
	}
	return j.draw() < rate
}

// draw returns the next sampling number.
func (j *Judge) draw() float64 {
	j.randMu.Lock()
	defer j.randMu.Unlock()
	return j.rand()
}
