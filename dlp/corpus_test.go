package dlp

import (
	"bufio"
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"testing"
)

var update = flag.Bool("update", false, "regenerate testdata/corpus.jsonl")

const corpusFile = "testdata/corpus.jsonl"

// entry is one line of the corpus.
type entry struct {
	ID        string   `json:"id"`
	Text      string   `json:"text"`
	Expect    []string `json:"expect"`
	Technique string   `json:"technique"`
	Parts     []string `json:"parts,omitempty"`
}

// buildCorpus generates the corpus: every item plain, the evasion items
// under each encoding and split over 2 to 5 messages, and the benign
// messages (expect empty).
func buildCorpus() []entry {
	g := newGen()
	items := append(append(piiItems(g), secretItems(g)...), injectionItems()...)
	var out []entry
	for _, it := range items {
		out = append(out, entry{ID: it.id, Text: it.text(), Expect: it.expect, Technique: "plain"})
	}
	for i, it := range items {
		if !it.evasions {
			continue
		}
		for _, enc := range encodings {
			text := it.prefix + enc.f(g, i, it.payload) + it.suffix
			out = append(out, entry{ID: it.id + "/" + enc.name, Text: text, Expect: it.expect, Technique: enc.name})
		}
		for n := 2; n <= 5; n++ {
			out = append(out, entry{ID: fmt.Sprintf("%s/split%d", it.id, n), Text: it.text(), Expect: it.expect, Technique: "split", Parts: split(g, it, n)})
		}
	}
	for i, text := range benignMessages(g) {
		out = append(out, entry{ID: fmt.Sprintf("benign-%03d", i), Text: text, Expect: []string{}, Technique: "plain"})
	}
	return out
}

func encodeCorpus(es []entry) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	for _, e := range es {
		if err := enc.Encode(e); err != nil {
			panic(err)
		}
	}
	return buf.Bytes()
}

// TestGenerateCorpus checks that the committed corpus is what the
// generator produces; with -update it rewrites the file.
func TestGenerateCorpus(t *testing.T) {
	want := encodeCorpus(buildCorpus())
	if *update {
		if err := os.WriteFile(corpusFile, want, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	got, err := os.ReadFile(corpusFile)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("%s is out of date: run go test -run TestGenerateCorpus -update", corpusFile)
	}
}

func readCorpus(t *testing.T) []entry {
	t.Helper()
	f, err := os.Open(filepath.FromSlash(corpusFile))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var es []entry
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var e entry
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			t.Fatalf("corpus line %d: %v", len(es)+1, err)
		}
		es = append(es, e)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return es
}

// key returns the reporting key of an entry: "benign", or its technique,
// with the number of parts for splits.
func (e entry) key() string {
	switch {
	case len(e.Expect) == 0:
		return "benign"
	case e.Technique == "split":
		return fmt.Sprintf("split/%d", len(e.Parts))
	}
	return e.Technique
}

// scanEntry returns the findings of an entry: one Scan, or ScanTask over
// its parts in order.
func scanEntry(s *Scanner, e entry) []Finding {
	if e.Technique != "split" {
		return s.Scan(e.Text)
	}
	var fs []Finding
	for _, p := range e.Parts {
		fs = append(fs, s.ScanTask(e.ID, p)...)
	}
	s.Forget(e.ID)
	return fs
}

// detected reports whether fs has every expected detector, and whether
// one of them carries the entry's evasion label ("" for plain text).
func detected(e entry, fs []Finding) (found, labelled bool) {
	label := e.Technique
	if label == "plain" {
		label = ""
	}
	found = true
	for _, want := range e.Expect {
		hit := false
		for _, f := range fs {
			if f.Detector == want {
				hit = true
				labelled = labelled || f.Evasion == label
			}
		}
		found = found && hit
	}
	return found, labelled
}

type tally struct{ total, hit, labelled int }

// TestCorpus is the DLP evasion test (DP-T2.1, DP-T2.2, PG-T1.1): plain
// detection at least 95%, bypass below 10% for every evasion technique,
// false positives on benign messages below 5%.
func TestCorpus(t *testing.T) {
	s := New(Config{})
	stats := map[string]*tally{}
	pii := 0
	for _, e := range readCorpus(t) {
		k := e.key()
		if k == "plain" && info(e.Expect[0]).control == ctrlData {
			pii++
		}
		if stats[k] == nil {
			stats[k] = &tally{}
		}
		st := stats[k]
		st.total++
		fs := scanEntry(s, e)
		if k == "benign" {
			if len(fs) > 0 {
				st.hit++
				t.Logf("false positive %s: %s in %q", e.ID, fs[0].Detector, e.Text)
			}
			continue
		}
		found, labelled := detected(e, fs)
		if found {
			st.hit++
		} else {
			t.Logf("missed %s (%s): %q", e.ID, k, e.Text)
		}
		if labelled {
			st.labelled++
		}
	}
	report(t, stats)
	if pii < 50 {
		t.Errorf("corpus has %d plain PII messages, want at least 50 (DP-T2.1)", pii)
	}
}

func report(t *testing.T, stats map[string]*tally) {
	keys := make([]string, 0, len(stats))
	for k := range stats {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	t.Logf("%-12s %6s %9s %8s %9s", "technique", "cases", "detected", "rate", "labelled")
	for _, k := range keys {
		st := stats[k]
		rate := 100 * float64(st.hit) / float64(st.total)
		t.Logf("%-12s %6d %9d %7.1f%% %9d", k, st.total, st.hit, rate, st.labelled)
		switch {
		case k == "benign" && rate >= 5:
			t.Errorf("false-positive rate on benign messages %.1f%%, want < 5%%", rate)
		case k == "plain" && rate < 95:
			t.Errorf("plain detection %.1f%%, want >= 95%%", rate)
		case k != "benign" && k != "plain" && 100-rate >= 10:
			t.Errorf("bypass rate for %s %.1f%%, want < 10%%", k, 100-rate)
		}
		if k != "benign" && st.labelled*10 < st.total*8 {
			t.Errorf("%s: %d of %d cases carry the technique's evasion label, want 80%%", k, st.labelled, st.total)
		}
	}
	for _, k := range []string{"plain", "benign", "base64", "hex", "url", "homoglyph", "zero_width", "split/2", "split/3", "split/4", "split/5"} {
		if !slices.Contains(keys, k) {
			t.Errorf("corpus has no %s cases", k)
		}
	}
}
