package cli_test

import (
	"context"
	"os"
	"strings"

	"github.com/maso-runtime/maso/internal/cli"
)

func ExampleRun() {
	code := cli.Run(context.Background(), []string{"help", "audit", "verify"},
		strings.NewReader(""), os.Stdout, os.Stderr, func(string) string { return "" })
	_ = code
	// Output:
	// Usage: masoctl audit verify [--dir DIR]
	//
	// Verify the decision log through the API, or offline in DIR.
	//
	// Flags:
	//   -dir directory
	//     	verify the log in directory offline (e.g. maso-data/audit) instead of through the API
	//
	// Global flags:
	//   -addr URL
	//     	admin API URL or host:port (default $MASO_ADDR, else http://127.0.0.1:7480)
	//   -json
	//     	print the JSON response
	//   -timeout duration
	//     	timeout of each API request (default 10s)
	//   -token-file file
	//     	file holding the bearer token (default: $MASO_TOKEN holds the token, else ./maso-data/admin.token)
}
