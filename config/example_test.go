package config_test

import (
	"fmt"

	"github.com/maso-runtime/maso/config"
)

func ExampleParse() {
	data := []byte(`
tools:
  - name: search
    effect: read
agents:
  - name: researcher
    behaviour: research
    tools: [search]
    talks_to:
      - agent: writer
  - name: writer
    behaviour: write
`)
	cfg, err := config.Parse("example.yaml", data)
	if err != nil {
		fmt.Println(err)
		return
	}
	r, _ := cfg.Agent("researcher")
	fmt.Println(cfg.Allowed("researcher", "writer", "claim"))
	fmt.Println(cfg.Allowed("writer", "researcher", "claim"))
	fmt.Println(cfg.CertTTL(r))
	// Output:
	// true
	// false
	// 24h0m0s
}

func ExampleParse_errors() {
	data := []byte(`
agents:
  - name: orchestrator
    behaviour: route
    tools: [search]
  - name: writer
    behaviour: write
    talks_to:
      - agent: editor
`)
	_, err := config.Parse("example.yaml", data)
	fmt.Println(err)
	// Output:
	// example.yaml:3: agents[0].name: name "orchestrator" is reserved for the runtime (IA-2.5: the orchestrator only routes and holds no tools)
	// example.yaml:5: agents[0].tools[0]: unknown tool "search"
	// example.yaml:9: agents[1].talks_to[0].agent: unknown agent "editor"
}
