// Command stdioserver is an MCP server on stdin/stdout for the package's
// tests. Its tool "echo" returns the text it is given with the server's
// process ID and the names of its environment variables; "exit" ends the
// process without answering.
package main

import (
	"context"
	"flag"
	"log"
	"os"
	"sort"
	"strings"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

type echoIn struct {
	Text string `json:"text"`
}

type echoOut struct {
	Text string   `json:"text"`
	PID  int      `json:"pid"`
	Env  []string `json:"env"`
}

func main() {
	desc := flag.String("desc", "Echo the text back.", "description of the echo tool")
	flag.Parse()
	s := mcp.NewServer(&mcp.Implementation{Name: "stdioserver", Version: "1"}, nil)
	mcp.AddTool(s, &mcp.Tool{Name: "echo", Description: *desc},
		func(_ context.Context, _ *mcp.CallToolRequest, in echoIn) (*mcp.CallToolResult, echoOut, error) {
			var names []string
			for _, kv := range os.Environ() {
				name, _, _ := strings.Cut(kv, "=")
				names = append(names, name)
			}
			sort.Strings(names)
			return nil, echoOut{Text: in.Text, PID: os.Getpid(), Env: names}, nil
		})
	mcp.AddTool(s, &mcp.Tool{Name: "exit", Description: "End the server process."},
		func(context.Context, *mcp.CallToolRequest, struct{}) (*mcp.CallToolResult, any, error) {
			os.Exit(3)
			return nil, nil, nil
		})
	log.Printf("stdioserver %d ready", os.Getpid())
	if err := s.Run(context.Background(), &mcp.StdioTransport{}); err != nil {
		log.Fatal(err)
	}
}
