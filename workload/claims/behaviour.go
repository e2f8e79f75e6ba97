package claims

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/maso-runtime/maso/actors"
)

// SettingNext is the agent setting naming the agent a behaviour hands its
// result to; intake defaults to "analysis", analysis to "communication".
const SettingNext = "next"

// requireTool fails when the agent is not granted a tool its behaviour
// needs, so a misconfiguration stops the node at start rather than failing
// every task.
func requireTool(spec actors.AgentSpec, behaviour, tool string) error {
	if !slices.Contains(spec.Tools, tool) {
		return fmt.Errorf("%w: agent %q runs %s but is not granted tool %s (its tools: %v)",
			ErrBadSpec, spec.Name, behaviour, tool, spec.Tools)
	}
	return nil
}

// nextAgent returns the agent named by the "next" setting, or def.
func nextAgent(spec actors.AgentSpec, def string) string {
	if n := spec.Settings[SettingNext]; n != "" {
		return n
	}
	return def
}

// refuse logs and rejects a message the behaviour does not act on. Content
// of any other kind is data and is never acted on as an instruction (PG-1.4).
func refuse(ctx actors.Context, msg actors.Message, want string) error {
	ctx.Logger().Warn("refused an unexpected message (PG-1.4)",
		"from", msg.From, "kind", msg.Kind.String(), "type", msg.PayloadType, "want", want)
	return fmt.Errorf("%w: %s got a %s message of type %q from %s; it acts only on %s (PG-1.4)",
		ErrUnexpectedMessage, ctx.Self(), msg.Kind, msg.PayloadType, msg.From, want)
}

// decodeStrict unmarshals JSON into v, refusing unknown fields.
func decodeStrict(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	return dec.Decode(v)
}
