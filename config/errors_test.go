package config

import (
	"errors"
	"testing"
)

func TestErrorFormat(t *testing.T) {
	tests := []struct {
		e    Error
		want string
	}{
		{Error{File: "a.yaml", Line: 3, Field: "node", Msg: "bad"}, "a.yaml:3: node: bad"},
		{Error{File: "a.yaml", Field: "agents", Msg: "bad"}, "a.yaml: agents: bad"},
		{Error{File: "a.yaml", Line: 3, Msg: "bad"}, "a.yaml:3: bad"},
		{Error{Line: 3, Field: "node", Msg: "bad"}, "3: node: bad"},
		{Error{Field: "node", Msg: "bad"}, "node: bad"},
	}
	for _, tt := range tests {
		if got := tt.e.Error(); got != tt.want {
			t.Errorf("Error() = %q, want %q", got, tt.want)
		}
	}
}

func TestErrorsSortedAndJoined(t *testing.T) {
	es := Errors{
		{File: "f", Line: 9, Msg: "c"},
		{File: "f", Line: 2, Msg: "a"},
		{File: "f", Line: 9, Msg: "d"},
		{File: "f", Line: 4, Msg: "b"},
	}
	err := es.sorted()
	if got, want := err.Error(), "f:2: a\nf:4: b\nf:9: c\nf:9: d"; got != want {
		t.Fatalf("Error() = %q, want %q", got, want)
	}
	var e *Error
	if !errors.As(err, &e) || e.Msg != "a" {
		t.Fatalf("errors.As(*Error) = %v", e)
	}
	if (Errors{}).sorted() != nil {
		t.Fatal("empty Errors is not a nil error")
	}
}
