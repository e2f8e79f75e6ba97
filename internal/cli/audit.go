package cli

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"

	"github.com/maso-runtime/maso/audit"
)

func (a *app) auditVerify(fs *flag.FlagSet) action {
	dir := fs.String("dir", "", "verify the log in `directory` offline (e.g. maso-data/audit) instead of through the API")
	return func(ctx context.Context, args []string) error {
		if err := wantArgs(args); err != nil {
			return err
		}
		rep, raw, err := a.verify(ctx, *dir)
		if err != nil {
			return err
		}
		if a.g.json {
			a.printRaw(raw)
		} else {
			a.printReport(rep)
		}
		if !rep.OK {
			return fmt.Errorf("%w: the decision log does not verify", ErrFailed)
		}
		return nil
	}
}

// verify verifies the log in dir, or through the API if dir is "".
func (a *app) verify(ctx context.Context, dir string) (audit.Report, []byte, error) {
	if dir == "" {
		c, err := a.client()
		if err != nil {
			return audit.Report{}, nil, err
		}
		var rep audit.Report
		raw, err := c.getJSON(ctx, "/v1/audit/verify", &rep)
		return rep, raw, err
	}
	rep, err := audit.Verify(dir)
	if err != nil && !errors.Is(err, audit.ErrCorrupt) {
		return rep, nil, fmt.Errorf("masoctl: audit verify %s: %w", dir, err)
	}
	raw, err := json.Marshal(rep)
	if err != nil {
		return rep, nil, fmt.Errorf("masoctl: %w", err)
	}
	return rep, raw, nil
}

func (a *app) printReport(rep audit.Report) {
	head := rep.Head
	if head == "" {
		head = "(none)"
	}
	if rep.OK {
		fmt.Fprintf(a.stdout, "ok: %d entries, head %s\n", rep.Entries, head)
		return
	}
	fmt.Fprintf(a.stdout, "FAILED: %s\n", rep.Error)
	fmt.Fprintf(a.stdout, "  at segment %s, line %d, seq %d; the %d entries before it verify (head %s)\n",
		rep.Segment, rep.Line, rep.Seq, rep.Entries, head)
}
