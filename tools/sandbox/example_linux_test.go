package sandbox_test

import (
	"context"
	"fmt"
	"time"

	"github.com/maso-runtime/maso/tools/sandbox"
)

func ExampleProcess() {
	res, err := sandbox.Process(context.Background(), sandbox.ProcessSpec{
		Command: []string{"/bin/sh", "-c", "tr a-z A-Z"},
		Stdin:   []byte(`{"claim":"c-1"}`),
		Limits:  sandbox.Limits{Timeout: 5 * time.Second},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%s exit=%d killed=%q\n", res.Stdout, res.ExitCode, res.Killed)
	// Output: {"CLAIM":"C-1"} exit=0 killed=""
}
