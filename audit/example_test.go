package audit_test

import (
	"encoding/json"
	"fmt"
	"os"
	"time"

	"github.com/maso-runtime/maso/audit"
)

func Example() {
	dir, err := os.MkdirTemp("", "audit-example")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)

	clock := func() time.Time { return time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC) }
	log, err := audit.Open(dir, audit.Options{Clock: clock})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, ev := range []audit.Event{
		{Type: "message.delivered", Verdict: "pass", From: "planner", To: "researcher"},
		{Type: "message.rejected", Verdict: "block", Controls: []string{"IA-2.3"}, Reason: "unknown CA"},
	} {
		if _, err := log.Append(ev); err != nil {
			fmt.Println(err)
			return
		}
	}
	if err := log.Close(); err != nil {
		fmt.Println(err)
		return
	}

	rep, err := audit.Verify(dir)
	if err != nil {
		fmt.Println(err)
		return
	}
	out, _ := json.Marshal(rep)
	fmt.Println(string(out))

	err = audit.Read(dir, func(e audit.Entry) error {
		fmt.Println(e.Seq, e.Event.Type, e.Event.Verdict, e.Event.Controls)
		return nil
	})
	if err != nil {
		fmt.Println(err)
	}
	// Output:
	// {"ok":true,"entries":2,"head":"163d1fee26c3c00fad5ff73c373f35beeb58b0059d9a47d6494b41a4128a2293"}
	// 1 message.delivered pass []
	// 2 message.rejected block [IA-2.3]
}
