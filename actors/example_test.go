package actors_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"

	"github.com/maso-runtime/maso/actors"
	"github.com/maso-runtime/maso/config"
	"github.com/maso-runtime/maso/node"
)

// A two-agent system: greeter asks echo (a signed Request, verified on both
// sides) and completes the task with the answer.
func Example() {
	cfg, _ := config.Parse("hello.yaml", []byte(`
agents:
  - {name: greeter, behaviour: greeter, talks_to: [{agent: echo, kinds: [data]}]}
  - {name: echo, behaviour: echo}
workflows:
  - {name: hello, entry: greeter, agents: [greeter, echo]}`))
	greeter := func(ctx actors.Context, m actors.Message) error {
		answer, err := ctx.Request("echo", actors.KindData, m.Payload, 0)
		if err != nil {
			return err
		}
		return ctx.Complete(answer.Payload)
	}
	echo := func(ctx actors.Context, m actors.Message) error {
		var s string
		if err := m.Decode(&s); err != nil {
			return err
		}
		return ctx.Reply(strings.ToUpper(s))
	}
	dir, _ := os.MkdirTemp("", "maso-example")
	defer os.RemoveAll(dir)
	n, err := node.Start(context.Background(), node.Options{Config: cfg, DataDir: dir, Behaviours: map[string]actors.BehaviourFactory{
		"greeter": func(actors.AgentSpec) (actors.Behaviour, error) { return actors.BehaviourFunc(greeter), nil },
		"echo":    func(actors.AgentSpec) (actors.Behaviour, error) { return actors.BehaviourFunc(echo), nil },
	}})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer n.Stop(context.Background())
	id, _ := n.Submit(context.Background(), "greeter", json.RawMessage(`"hello, maso"`))
	task, _ := n.Sys.WaitTask(context.Background(), id)
	fmt.Println(task.State, string(task.Result))
	// Output: completed "HELLO, MASO"
}
