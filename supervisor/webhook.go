package supervisor

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/maso-runtime/maso/audit"
	"github.com/maso-runtime/maso/registry"
)

// WebhookEvent is the JSON body posted to the security webhook on every
// phase change ("security team notified automatically").
type WebhookEvent struct {
	Event  string         `json:"event"` // "pace.transition"
	From   registry.Phase `json:"from"`
	To     registry.Phase `json:"to"`
	Epoch  uint64         `json:"epoch"`
	Reason string         `json:"reason"`
	Who    string         `json:"who"`
	Auto   bool           `json:"auto"`
	Agent  string         `json:"agent,omitempty"`
	Node   string         `json:"node"`
	Time   time.Time      `json:"time"`
}

// notify posts the event in the background, with up to three attempts, and
// records the outcome in the decision log.
func (c *Controller) notify(from, to registry.PhaseState) {
	url := c.cfg.PACE.Webhook
	if url == "" {
		return
	}
	ev := WebhookEvent{Event: "pace.transition", From: from.Phase, To: to.Phase, Epoch: to.Epoch, Reason: to.Reason,
		Who: to.Who, Auto: to.Auto, Agent: to.Agent, Node: c.cfg.Node, Time: to.Since}
	body, _ := json.Marshal(ev)
	c.wg.Add(1)
	go func() {
		defer c.wg.Done()
		err := c.post(url, body)
		res := audit.Event{Type: "pace.notified", Verdict: "pass", Controls: []string{"OB-2.4"}, Phase: string(to.Phase),
			Attrs: map[string]string{"webhook": url, "epoch": fmt.Sprint(to.Epoch)}}
		if err != nil {
			res.Verdict, res.Reason = "block", err.Error()
			c.log.Error("security webhook failed", "url", url, "err", err)
		}
		c.event(context.Background(), res)
	}()
}

func (c *Controller) post(url string, body []byte) error {
	var err error
	for attempt, wait := 0, 200*time.Millisecond; attempt < 3; attempt, wait = attempt+1, wait*2 {
		if attempt > 0 {
			time.Sleep(wait)
		}
		var resp *httpResponse
		resp, err = c.do(url, body)
		if err == nil && resp.code < 300 {
			return nil
		}
		if err == nil {
			err = fmt.Errorf("webhook answered %d", resp.code)
		}
	}
	return err
}

type httpResponse struct{ code int }

func (c *Controller) do(url string, body []byte) (*httpResponse, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	req, err := newJSONRequest(ctx, url, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	resp, err := c.cfg.HTTPClient.Do(req)
	if err != nil {
		return nil, err
	}
	resp.Body.Close()
	return &httpResponse{code: resp.StatusCode}, nil
}
