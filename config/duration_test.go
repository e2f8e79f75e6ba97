package config

import (
	"encoding/json"
	"errors"
	"testing"
	"time"

	"gopkg.in/yaml.v3"
)

func TestDurationString(t *testing.T) {
	tests := []struct {
		d    time.Duration
		want string
	}{
		{90 * time.Second, "1m30s"},
		{90 * time.Minute, "1h30m"},
		{time.Hour, "1h"},
		{5 * time.Minute, "5m"},
		{1500 * time.Millisecond, "1.5s"},
		{0, "0s"},
	}
	for _, tt := range tests {
		if got := (Duration{tt.d}).String(); got != tt.want {
			t.Errorf("String(%v) = %q, want %q", tt.d, got, tt.want)
		}
	}
}

func TestDurationYAMLRoundTrip(t *testing.T) {
	in := struct {
		D Duration `yaml:"d"`
	}{Duration{90 * time.Minute}}
	out, err := yaml.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	if string(out) != "d: 1h30m\n" {
		t.Fatalf("Marshal = %q", out)
	}
	in.D = Duration{}
	if err := yaml.Unmarshal(out, &in); err != nil || in.D.Duration != 90*time.Minute {
		t.Fatalf("Unmarshal = %v, %v", in.D, err)
	}
}

func TestDurationJSON(t *testing.T) {
	out, err := json.Marshal(Duration{2 * time.Second})
	if err != nil || string(out) != `"2s"` {
		t.Fatalf("json.Marshal = %s, %v", out, err)
	}
	var d Duration
	if err := json.Unmarshal([]byte(`"bad"`), &d); !errors.Is(err, ErrDuration) {
		t.Fatalf("json.Unmarshal(bad) = %v, want ErrDuration", err)
	}
}

func TestDurationRejectsBareNumber(t *testing.T) {
	var d Duration
	if err := yaml.Unmarshal([]byte("90"), &d); !errors.Is(err, ErrDuration) {
		t.Fatalf("Unmarshal(90) = %v, want ErrDuration", err)
	}
}
