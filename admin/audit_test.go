package admin_test

import (
	"bytes"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/maso-runtime/maso/audit"
)

// tamper flips one bit in the middle of the given line of the newest
// segment of the log in dir and returns the segment's name.
func tamper(t *testing.T, dir string, line int) string {
	t.Helper()
	segs, err := filepath.Glob(filepath.Join(dir, "*.log"))
	if err != nil || len(segs) == 0 {
		t.Fatalf("no audit segments in %s: %v", dir, err)
	}
	slices.Sort(segs)
	seg := segs[len(segs)-1]
	b, err := os.ReadFile(seg)
	if err != nil {
		t.Fatal(err)
	}
	lines := bytes.SplitAfter(b, []byte("\n"))
	if len(lines) < line {
		t.Fatalf("%s has %d lines, want at least %d", seg, len(lines), line)
	}
	off := 0
	for _, l := range lines[:line-1] {
		off += len(l)
	}
	off += len(lines[line-1]) / 2
	f, err := os.OpenFile(seg, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteAt([]byte{b[off] ^ 0x01}, int64(off)); err != nil {
		t.Fatal(err)
	}
	return filepath.Base(seg)
}

func TestAuditVerify(t *testing.T) {
	t.Parallel()
	n, s := serveNode(t)
	s.waitTask(s.submitClaim(1))
	var rep audit.Report
	res := s.get("/v1/audit/verify")
	res.json(t, &rep)
	if res.status != http.StatusOK || !rep.OK || rep.Entries == 0 || len(rep.Head) != 64 {
		t.Fatalf("verify: %d %s", res.status, res.body)
	}

	seg := tamper(t, filepath.Join(n.DataDir(), "audit"), 2)
	rep = audit.Report{}
	res = s.get("/v1/audit/verify")
	res.json(t, &rep)
	if res.status != http.StatusOK || rep.OK || rep.Segment != seg || rep.Line != 2 || rep.Seq != 2 ||
		rep.Entries != 1 || rep.Error == "" {
		t.Fatalf("verify after tampering: %d %s", res.status, res.body)
	}
}
