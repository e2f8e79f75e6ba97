package dlp

import (
	"strings"
	"testing"
)

// detCase is one detector case: want is the text the detector must match
// in text, or "" when it must match nothing.
type detCase struct {
	det  string
	text string
	want string
}

// runDetCases scans every case with a default Scanner and checks the
// findings of the case's detector.
func runDetCases(t *testing.T, cases []detCase) {
	t.Helper()
	s := New(Config{})
	for _, c := range cases {
		t.Run(c.det+"/"+short(c.text), func(t *testing.T) {
			got := matches(s.Scan(c.text), c.text, c.det)
			switch {
			case c.want == "" && len(got) > 0:
				t.Errorf("%s matched %q in %q, want no match", c.det, got, c.text)
			case c.want != "" && !contains(got, c.want):
				t.Errorf("%s matched %q in %q, want %q", c.det, got, c.text, c.want)
			}
		})
	}
}

// matches returns the original text of every finding of det.
func matches(fs []Finding, text, det string) []string {
	var out []string
	for _, f := range fs {
		if f.Detector == det {
			out = append(out, text[f.Start:f.End])
		}
	}
	return out
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// detectors returns the detector names of fs.
func detectors(fs []Finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.Detector)
	}
	return out
}

func short(s string) string {
	s = strings.Map(func(r rune) rune {
		if r == '/' || r < ' ' {
			return '_'
		}
		return r
	}, s)
	if len(s) > 40 {
		s = s[:40]
	}
	return s
}
