package llm

import (
	"fmt"

	"github.com/maso-runtime/maso/actors"
)

// deliver routes a result: to the next agent as data when the agent has a
// "next" setting, else as the result of the current task, else as the reply
// to a Request. Outside a Request the reply fails, and that error is
// returned so an answer is never dropped silently.
func (b *behaviour) deliver(ctx actors.Context, msg actors.Message, out map[string]string) error {
	opts := []actors.SendOption{actors.WithType(OutputType), actors.WithProvenance("agent-generated", false)}
	switch {
	case b.next != "":
		if err := ctx.Send(b.next, actors.KindData, out, opts...); err != nil {
			return fmt.Errorf("llm: send result to %s: %w", b.next, err)
		}
	case ctx.Task().ID != "":
		if err := ctx.Complete(out); err != nil {
			return fmt.Errorf("llm: complete task %s: %w", ctx.Task().ID, err)
		}
	default:
		if err := ctx.Reply(out, opts...); err != nil {
			return fmt.Errorf("llm: reply to %s %s from %s: %w", msg.Kind, msg.ID, msg.From, err)
		}
	}
	return nil
}
